"""Running requests at the same moment, each on its own database connection.

`at_once` starts callables together behind a barrier, as a double click does; whether they
really overlap is up to the scheduler. `second_meets_first` makes the overlap certain: the
first call runs inside an open transaction and commits only once the second is waiting on a
row or index entry the first holds, which is the moment a check-then-insert loses its race.
"""

import threading
import time

from django.db import connection, transaction

LOCK_WAIT_TIMEOUT = 10.0


def _outcome(call):
    try:
        return call()
    # Whatever each side got, a result or an error, is what the test compares.
    except Exception as error:
        return error
    finally:
        connection.close()


def at_once(*calls):
    """Run `calls` in threads released together; each one's result or exception, in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        def released():
            barrier.wait()
            return call()

        results[index] = _outcome(released)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _someone_waits_on_a_lock():
    with connection.cursor() as cursor:
        # The activity view is a snapshot held for the whole transaction unless cleared.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def second_meets_first(first, second):
    """Run `first` in a transaction held open until `second` (started meanwhile) waits on
    it; then commit. Returns (first's result, second's result or exception)."""
    done_first = threading.Event()
    results = {}

    def run_first():
        def held():
            with transaction.atomic():
                value = first()
                done_first.set()
                deadline = time.monotonic() + LOCK_WAIT_TIMEOUT
                while not _someone_waits_on_a_lock():
                    if time.monotonic() > deadline:
                        raise AssertionError("the second request never waited on the first")
                    time.sleep(0.02)
            return value

        results["first"] = _outcome(held)

    def run_second():
        done_first.wait(LOCK_WAIT_TIMEOUT)
        results["second"] = _outcome(second)

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results["first"], results["second"]
