"""Start-up work for a server process, done once rather than on a user's first request.

The segmenter's dictionary is loaded (with gunicorn ``--preload`` the workers share it), and
everything loaded so far is moved out of the garbage collector's view (``gc.freeze``), so its full
collections — 70 ms each measured with the app and its dictionary loaded, up to 200 ms at 100k
measures — no longer land on requests. ``policybase/wsgi.py`` calls it; so does the benchmark,
which times the app as a server process runs it. With ``search_applier`` the process also keeps
the search index up to date (``search.applier``).
"""

import gc


def prepare_process(*, search_applier: bool = False) -> None:
    from measures.tokenize import warm_up
    from search.applier import start_background

    warm_up()
    gc.freeze()
    if search_applier:
        start_background()
