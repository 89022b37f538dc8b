"""The FHIR R5 terminology face, read-only and JSON only, under `/fhir/`.

- `common`: system URIs, the per-release index, reading operation inputs, answering;
- `outcome`: OperationOutcome for every error under `/fhir/`;
- `codesystem`: the CodeSystems, `$lookup`, `$validate-code`, `$subsumes`;
- `valueset`: the ValueSets (whole vocabulary, each collection, each community's words)
  and `$expand` (on the search engine) and `$validate-code`;
- `conceptmap`: the ConceptMaps and `$translate` (on the `/translate` engine);
- `capabilities`: CapabilityStatement and TerminologyCapabilities (`/fhir/metadata`);
- `search`: searchset Bundles; `openapi`: how the routes describe themselves;
- `context`, `routes` and `*_routes`: the HTTP routes, one module per resource type.
"""
