import threading

import pytest
from django.conf import settings
from django.db import connection

from events import services
from events.models import Meeting, MeetingSeat
from tests.factories import EventFactory, MeetingFactory, RegistrationFactory, SlotFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not settings.USING_POSTGRES, reason="row locks need PostgreSQL"),
]


def _race(meetings, slot):
    barrier = threading.Barrier(len(meetings))
    outcomes = []

    def book(meeting):
        try:
            barrier.wait()
            services.book_slot(meeting, slot=slot, by=meeting.requester.user)
            outcomes.append("booked")
        except services.BookingConflict as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(m,)) for m in meetings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_thirty_bookings_for_one_person_in_one_slot_exactly_one_wins():
    event = EventFactory(tables=50)
    slot = SlotFactory(event=event)
    busy = RegistrationFactory(event=event)
    meetings = [MeetingFactory(event=event, requester=busy) for _ in range(30)]

    outcomes = _race(meetings, slot)

    assert outcomes.count("booked") == 1
    assert sorted(set(outcomes) - {"booked"}) == [
        "You or your partner already have another meeting in this slot."
    ]
    assert MeetingSeat.objects.filter(participant=busy).count() == 1
    assert Meeting.objects.filter(slot=slot).count() == 1


def test_thirty_bookings_for_the_last_table_exactly_one_wins():
    event = EventFactory(tables=1)
    slot = SlotFactory(event=event)
    meetings = [MeetingFactory(event=event) for _ in range(30)]

    outcomes = _race(meetings, slot)

    assert outcomes.count("booked") == 1
    assert sorted(set(outcomes) - {"booked"}) == ["Every table is taken in this slot."]
    assert list(Meeting.objects.filter(slot=slot).values_list("table", flat=True)) == [1]
