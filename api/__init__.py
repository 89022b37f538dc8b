"""HTTP only: create_app(), routes, content negotiation, templates and static files."""
