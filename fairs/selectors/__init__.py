"""Fair reads, one module per subject: fairs.selectors.fairs (fairs and their counts),
fairs.selectors.candidates (registry candidates for a sign-up row), fairs.selectors.layers (the
fairs map layer)."""
