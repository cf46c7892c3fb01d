"""Admin for the registry, scoped like every other door: a team member sees and edits only their
municipalities' records, and anything else answers 404. Writes go through registry.services: a form
validates by running its service in a savepoint that is always rolled back (so a DomainError becomes
a form error, not a 500), and save_model runs the same service for real. Status, municipality,
creator and source are read-only here; status changes are actions that call the services."""

from registry.admin import communities, people, programme  # noqa: F401 -- registers the admins
