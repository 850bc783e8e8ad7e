from django import template
from django.conf import settings
from django.shortcuts import resolve_url

register = template.Library()


@register.simple_tag
def login_url():
    """settings.LOGIN_URL resolved, so it may be a path or a URL name."""
    return resolve_url(settings.LOGIN_URL)
