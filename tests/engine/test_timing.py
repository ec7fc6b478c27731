"""Timing: the cycle collector rests while the site is assembled and saved, and is back after."""

from conftest import messages, run_build


def test_the_cycle_collector_rests_while_the_site_is_assembled_and_saved_and_is_back_after(copy_site, monkeypatch):
    import gc

    import generator.engine.build
    import generator.engine.stages
    seen = []

    def watched(module, name):
        real = getattr(module, name)

        def call(*args, **kwargs):
            seen.append((name, gc.isenabled()))
            return real(*args, **kwargs)
        monkeypatch.setattr(module, name, call)

    for module, name in ((generator.engine.stages, "assemble_site"), (generator.engine.stages, "plan_site"),
                         (generator.engine.build, "save_state")):
        watched(module, name)
    root = copy_site("minimal")
    result = run_build(root, progress=lambda stage, done, total: seen.append((stage, gc.isenabled())))
    assert result.ok, messages(result)
    assert gc.isenabled()
    for paused in ("assemble_site", "plan_site", "save_state"):
        assert (paused, False) in seen, seen
    assert ("Rendering", True) in seen and ("Rendering", False) not in seen, seen  # garbage goes as it is made
    gc.disable()
    try:  # a caller's choice is kept
        assert run_build(root).ok and not gc.isenabled()
    finally:
        gc.enable()
