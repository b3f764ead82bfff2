#!/usr/bin/env python3
# Checks the Flatpak manifest: the ID, runtime and command, the sandbox permissions the
# app needs, the bundled modules, and that payvand itself is built last from this tree.
# Usage: check-flatpak-manifest.py MANIFEST.json

import json
import sys


def fail(message):
    print(f"check-flatpak-manifest: {message}", file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def main():
    if len(sys.argv) != 2:
        fail("usage: check-flatpak-manifest.py MANIFEST.json")

    path = sys.argv[1]
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, json.JSONDecodeError) as error:
        fail(f"cannot read {path}: {error}")

    check(manifest.get("app-id") == "org.payvand.Payvand",
          f"app-id is {manifest.get('app-id')!r}, expected 'org.payvand.Payvand'")
    check(manifest.get("runtime") == "org.gnome.Platform",
          f"runtime is {manifest.get('runtime')!r}, expected 'org.gnome.Platform'")
    check(manifest.get("sdk") == "org.gnome.Sdk",
          f"sdk is {manifest.get('sdk')!r}, expected 'org.gnome.Sdk'")
    check(isinstance(manifest.get("runtime-version"), str) and manifest["runtime-version"],
          "runtime-version must be a non-empty string")
    check(manifest.get("command") == "payvand",
          f"command is {manifest.get('command')!r}, expected 'payvand'")

    finish_args = manifest.get("finish-args", [])
    needed = [
        "--socket=wayland",
        "--socket=fallback-x11",
        "--share=ipc",
        "--share=network",
        "--device=dri",
        "--talk-name=org.freedesktop.secrets",
    ]
    for arg in needed:
        check(arg in finish_args, f"finish-args lack {arg}")
    for arg in finish_args:
        check(arg not in ("--filesystem=host", "--filesystem=home", "--socket=x11",
                          "--device=all"),
              f"finish-args grant more than the app needs: {arg}")

    modules = manifest.get("modules", [])
    check(isinstance(modules, list) and modules, "modules must be a non-empty list")
    for module in modules:
        check(isinstance(module, dict) and module.get("name"),
              "every module must be an object with a name")
        for source in module.get("sources", []):
            kind = source.get("type")
            if kind in ("archive", "file") and "url" in source:
                check("sha256" in source or "sha512" in source,
                      f"module {module['name']}: {kind} source {source['url']} has no checksum")
            if kind == "git":
                check("tag" in source or "commit" in source or "branch" in source,
                      f"module {module['name']}: git source has no tag, commit or branch")

    names = [module["name"] for module in modules]
    check("libsodium" in names, "no libsodium module")
    fonts = [m for m in modules
             if "vazirmatn" in m["name"].lower()
             and any("/app/share/fonts" in c for c in m.get("build-commands", []))]
    check(fonts, "no Vazirmatn font module installing into /app/share/fonts")

    last = modules[-1]
    check(last["name"] == "payvand", f"the last module is {last['name']!r}, expected 'payvand'")
    check(last.get("buildsystem") == "meson", "payvand must be built with meson")
    sources = last.get("sources", [])
    check(len(sources) == 1 and sources[0].get("type") == "dir",
          "payvand must have exactly one source of type dir")
    check(sources[0].get("path") == "..", "payvand's dir source must point at '..'")
    check("-Dprofile=default" in last.get("config-opts", []),
          "payvand must be configured with -Dprofile=default")

    print(f"{path}: OK ({len(modules)} modules)")


if __name__ == "__main__":
    main()
