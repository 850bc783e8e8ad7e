"""Writes for matchmaking, by subject: runs (full, chunked and incremental), members'
feedback, weight profiles. Callers import them from here."""

from matchmaking.services.feedback import give_feedback
from matchmaking.services.runs import (
    CHUNK_SIZE,
    DEFAULT_K,
    SCORE_CHUNK_TASK,
    SWEEP_LIMIT,
    begin_chunk_attempt,
    finish_run_if_complete,
    organisations_needing_rescoring,
    queue_chunks,
    record_chunk_error,
    rescore_organisations,
    run_recommendations,
    score_run_chunk,
    start_full_run,
    stored_default_profile,
    top_k_listed,
)
from matchmaking.services.weights import (
    FIT_WEIGHTS_TASK,
    MIN_POSITIVE_OUTCOMES,
    adopt_weight_fit,
    fit_weight_profile,
    request_weight_fit,
    run_weight_fit,
    save_weight_profile,
)

# What commands name the profile a run or a fit points at: a write, so it is recreated from the
# shipped weights if it was removed. Reads take `queries.default_profile`, which never writes.
default_profile = stored_default_profile

__all__ = [
    "CHUNK_SIZE",
    "DEFAULT_K",
    "FIT_WEIGHTS_TASK",
    "MIN_POSITIVE_OUTCOMES",
    "SCORE_CHUNK_TASK",
    "SWEEP_LIMIT",
    "adopt_weight_fit",
    "begin_chunk_attempt",
    "default_profile",
    "finish_run_if_complete",
    "fit_weight_profile",
    "give_feedback",
    "organisations_needing_rescoring",
    "queue_chunks",
    "record_chunk_error",
    "request_weight_fit",
    "rescore_organisations",
    "run_recommendations",
    "run_weight_fit",
    "save_weight_profile",
    "score_run_chunk",
    "start_full_run",
    "stored_default_profile",
    "top_k_listed",
]
