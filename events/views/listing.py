"""Public pages: the event list, the month calendar, an event and the iCalendar feeds."""

import calendar
import datetime as dt
from functools import partial

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from events import ical
from events.forms import EventFilterForm
from events.models import Event
from events.queries import events_listing, past_events, registration_of, upcoming_events
from partnerships import page_cache

EVENTS_PER_PAGE = 20


class EventListView(TemplateView):
    template_name = "events/event_list.html"
    partial_name = "events/includes/_event_results.html"

    def get_template_names(self):
        return [self.partial_name if self.request.htmx else self.template_name]

    def get_context_data(self, **kwargs):
        # The page number is not a filter: a request with only ?page= is still unfiltered.
        filters = self.request.GET.copy()
        filters.pop("page", None)
        form = EventFilterForm(filters or None)
        valid = form.is_bound and form.is_valid()
        past = valid and form.cleaned_data["when"] == "past"
        events = past_events() if past else upcoming_events()
        if valid:
            events = form.filter(events)
        elif form.is_bound:
            events = events.none()
        # A page number that is not one shows the first page, one past the end the last.
        paginator = Paginator(events, EVENTS_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("page"))
        return super().get_context_data(
            form=form,
            page=page,
            events=page.object_list,
            page_range=paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            past=past,
            swap_count=bool(self.request.htmx),
            **kwargs,
        )


class EventCalendarView(TemplateView):
    template_name = "events/event_calendar.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        try:
            month = dt.datetime.strptime(self.request.GET.get("month", ""), "%Y-%m").date()
        except ValueError:
            month = today.replace(day=1)
        weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
        first, last = weeks[0][0], weeks[-1][-1]
        events = list(
            events_listing().filter(starts_on__lte=last, ends_on__gte=first).order_by("starts_on")
        )
        grid = [
            [
                {
                    "date": day,
                    "in_month": day.month == month.month,
                    "events": [e for e in events if e.starts_on <= day <= e.ends_on],
                }
                for day in week
            ]
            for week in weeks
        ]
        previous = (month - dt.timedelta(days=1)).replace(day=1)
        following = (month + dt.timedelta(days=32)).replace(day=1)
        return super().get_context_data(
            month=month, weeks=grid, previous=previous, following=following, **kwargs
        )


class EventDetailView(TemplateView):
    template_name = "events/event_detail.html"

    def get(self, request, *args, **kwargs):
        return page_cache.serve(
            request,
            variant="page",
            scopes=[page_cache.event_scope(kwargs["pk"])],
            build=partial(super().get, request, *args, **kwargs),
        )

    def get_context_data(self, **kwargs):
        event = get_object_or_404(events_listing(), pk=self.kwargs["pk"])
        user = self.request.user
        return super().get_context_data(
            event=event,
            registration=registration_of(user, event),
            windows=event.windows.all(),
            can_see_participants=user.has_perm("events.view_participants", event),
            can_manage=user.has_perm("events.manage_event", event),
            **kwargs,
        )


def events_feed(request):
    body = ical.events_calendar(upcoming_events(), name=_("ClusterPortal events"))
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


def event_feed(request, pk):
    event = get_object_or_404(Event.objects.select_related("country"), pk=pk)
    body = ical.events_calendar([event], name=event.title)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response
