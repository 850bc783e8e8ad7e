from django.dispatch import Signal

# Sent after commit when an organisation's profile changed in a way that matters to partners
# (taxonomies, location, size, label, text). Keyword argument: organisation_ids.
organisation_profile_changed = Signal()
