"""python -m bench [--quick] [--only NAME …]: generate (or reuse) the datasets, run, write, print."""

from __future__ import annotations

import argparse
import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="every scenario at 1/100 size (CI)")
    parser.add_argument("--only", nargs="*", default=None, help="scenario names to run")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args(argv)
    django.setup()

    from bench.datasets import dataset_ensure
    from bench.figures import Context, Figure
    from bench.report import write_results
    from bench.scenarios import SCENARIOS

    unknown = set(args.only or []) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(sorted(unknown))}; known: {', '.join(SCENARIOS)}")
    sizes: dict[int, int] = {}

    def use(size: int) -> int:
        if size not in sizes:
            sizes[size] = dataset_ensure(size, seed=args.seed).communities
        else:
            from bench.datasets import base_name, use_database

            use_database(f"{base_name()}_{size}")
        return sizes[size]

    context = Context(
        quick=args.quick, repeats=args.repeats or (3 if args.quick else 7), seed=args.seed, use=use
    )
    figures: list[Figure] = []
    started = time.monotonic()
    for name, scenario in SCENARIOS.items():
        if args.only and name not in args.only:
            continue
        print(f"bench: {name} …", flush=True)
        for figure in scenario(context):
            if args.quick:  # 1/100 sizes keep the harness working; they judge no target
                figure.passed = None
            figures.append(figure)
    partial = bool(args.only) and set(args.only) != set(SCENARIOS)
    table = write_results(
        figures, quick=args.quick, seconds=time.monotonic() - started, sizes=sizes, partial=partial
    )
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
