#!/usr/bin/env python3
"""Build-farm entry point (Jenkins, TeamCity, Horde): bakes a manifest, writes JUnit XML and JSON
reports, exits non-zero when any line failed. A thin wrapper over `vocalsynth bake-all`.

    python3 tools/farm_bake.py manifest.yaml --junit build/bake.xml --report build/bake.json [--cluster tcp://host:8786]
"""
import sys

from vocalsynth.cli import main

sys.exit(main(["bake-all", *sys.argv[1:]]))
