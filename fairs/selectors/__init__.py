"""Fair reads, one module per subject: fairs.selectors.fairs (fairs and their counts),
fairs.selectors.candidates (registry candidates for a sign-up row), fairs.selectors.layers (the
fairs map layer).

The intake (fairs.services.imports, being split into stages elsewhere) still imports the candidate
finder from here; once it imports fairs.selectors.candidates, this re-export can go."""

from fairs.selectors.candidates import CandidateFinder, RegistryCandidate

__all__ = ["CandidateFinder", "RegistryCandidate"]
