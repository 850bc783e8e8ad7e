"""Every organisation encoded once per full run and worker process.

Each chunk task of a full run scores its rows against all organisations: loading and encoding
them is the same work for every chunk of the run, so a worker keeps the last run's encoding.
Only one run is held, so a worker's memory stays bounded by one population.
"""

import threading

import numpy as np

from matchmaking.features import encode
from matchmaking.queries import scoring_profiles, taxonomy_from_db

_encoded = {}
# A worker running chunks on threads must not encode the same run twice at once.
_lock = threading.Lock()


def encoded_for_run(run):
    """(encoded profiles, eligible mask) of every organisation, as loaded for `run`."""
    with _lock:
        if run.pk not in _encoded:
            profiles, eligible = scoring_profiles()
            _encoded.clear()
            _encoded[run.pk] = (encode(profiles, taxonomy_from_db()), np.asarray(eligible))
        return _encoded[run.pk]
