"""Tests of installing and deploying the service: the wheel, the container recipe, nginx in front of replicas."""
