"""What the serializers of several subjects share."""


def public_page_url(instance, request):
    """`instance`'s page: an absolute URL when there is a request to take the host from."""
    path = instance.get_absolute_url()
    return request.build_absolute_uri(path) if request else path
