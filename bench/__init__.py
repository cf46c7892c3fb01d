"""The benchmark harness behind `make bench` and `make bench-quick` (see bench/README.md).

Every figure is a ratio to a baseline measured in the same run: this machine is shared and noisy,
so an absolute time alone says little."""
