"""A fixed word list for generated vocabularies: clinical imaging, radiotherapy and AI terms.

Labels are drawn from these words with Zipf-like weights (earlier words are commoner), so
generated labels read like real multi-word terms and word frequencies are skewed as in a
real vocabulary. All words are lower-case ASCII singulars; never edit in place (it would
change every generated vocabulary): append instead.
"""

from __future__ import annotations

HEADS = """
imaging scan dose model network image volume segmentation registration contour planning
therapy treatment detection classification reconstruction protocol artefact margin field
beam target organ tissue lesion tumour nodule fracture signal noise contrast resolution
sequence acquisition calibration verification validation assessment evaluation analysis
report review workflow pipeline algorithm classifier regression estimation prediction
score index ratio coefficient metric measure threshold filter kernel layer encoder decoder
transformer attention embedding feature descriptor map atlas template mask boundary region
surface mesh grid matrix vector tensor histogram distribution sample cohort dataset label
annotation ground truth reference standard guideline policy framework system device
software platform service pathway referral appointment examination procedure session
fraction boost plan optimisation objective constraint penalty weight gradient loss error
bias variance uncertainty confidence interval probability likelihood estimate benchmark
audit governance oversight consent safety risk hazard incident alert notification record
archive storage transfer interface standard specification certificate approval clearance
monitoring surveillance screening triage diagnosis prognosis staging grading response
toxicity outcome survival recurrence progression remission follow radiograph tomogram
sonogram angiogram mammogram projection slice frame view phase cycle gate trigger pulse
echo relaxation diffusion perfusion uptake tracer isotope source detector collimator
filter aperture leaf jaw gantry couch table isocentre marker fiducial implant applicator
catheter needle probe coil magnet gradient receiver transmitter console display monitor
workstation server cluster cloud node cache queue scheduler license registry catalogue
"""

MODIFIERS = """
deep automated adaptive clinical diagnostic therapeutic quantitative qualitative spatial
temporal spectral structural functional anatomical physiological molecular metabolic
cardiac pulmonary hepatic renal cerebral spinal pelvic thoracic abdominal cranial
vascular skeletal muscular cutaneous oral nasal ocular auditory breast prostate cervical
rectal gastric oesophageal pancreatic thyroid adrenal ovarian testicular lymphatic
paediatric adult geriatric neonatal maternal foetal acute chronic benign malignant
primary secondary metastatic local regional distal proximal lateral medial anterior
posterior superior inferior axial coronal sagittal oblique volumetric planar dynamic
static contrast enhanced weighted gated triggered synchronised respiratory motion
intensity modulated stereotactic conformal brachytherapy proton photon electron neutron
carbon ion particle external internal interstitial intracavitary surface superficial
hypofractionated conventional accelerated partial whole total selective targeted
robust probabilistic bayesian statistical stochastic deterministic linear nonlinear
convolutional recurrent generative discriminative supervised unsupervised federated
distributed centralised synthetic virtual augmented simulated reconstructed denoised
normalised calibrated validated verified certified approved regulated audited
explainable interpretable transparent fair equitable accountable trustworthy secure
private anonymised pseudonymised encrypted shared open interoperable portable scalable
realtime offline online remote mobile portable wearable implantable handheld
high low ultra multi single dual triple full half fast slow short long early late
first second third prior posterior relative absolute effective equivalent integral
cumulative mean median maximum minimum peak residual differential biological physical
radiological nuclear magnetic acoustic optical thermal electrical mechanical chemical
digital analogue computed assisted aided guided driven based informed aware specific
"""

DOMAINS = """
radiotherapy radiography radiology oncology mammography tomography fluoroscopy
ultrasound resonance spectroscopy angiography scintigraphy endoscopy pathology
histology cytology genomics radiomics dosimetry physics medicine surgery cardiology
neurology urology gynaecology haematology dermatology ophthalmology orthopaedics
intelligence learning vision language reasoning inference training testing tuning
governance regulation ethics quality safety education practice research service
workforce leadership management informatics engineering statistics epidemiology
"""

CONNECTIVES = ("of", "for", "in", "with", "and", "to", "by", "on")

VERBS = """
measure estimate detect classify segment register reconstruct predict quantify
optimise verify validate monitor report review compare reduce improve correct
"""


def _words(block: str) -> list[str]:
    return list(dict.fromkeys(block.split()))


HEAD_WORDS = _words(HEADS)
MODIFIER_WORDS = _words(MODIFIERS)
DOMAIN_WORDS = _words(DOMAINS)
VERB_WORDS = _words(VERBS)
