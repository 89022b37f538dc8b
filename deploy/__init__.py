"""Deployment examples: nginx as cache and load balancer in front of `vocab serve` replicas."""
