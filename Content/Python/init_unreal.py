"""Runs when the editor starts with the VocalSynthesis plugin enabled: adds its menu.
All work happens in the `vocalsynth` package (install it into the editor's Python: see README)."""
import vocalsynth_unreal

vocalsynth_unreal.register_menus()
