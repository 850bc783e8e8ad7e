from django.dispatch import Signal

# Sent after commit when an organisation's profile changed in a way that matters to partners
# (taxonomies, location, size, label, text). Keyword argument: organisation_ids.
organisation_profile_changed = Signal()

# Sent by `services.export_personal_data` so that apps above this one add what they hold about
# a person. Keyword argument: user. Each receiver returns a dict of sections, {name: data},
# with JSON-ready values (strings, numbers, lists, dicts).
personal_data_export = Signal()

# Sent by `services.erase_person` inside its transaction, before the user row is anonymised,
# so that apps above this one erase what they hold about the person. Keyword arguments: user,
# emails (every address the person used), redact (a function that replaces the person's name
# and addresses in a text). Each receiver returns a dict of counts, {what: number}, which
# goes into the audit entry; it must not contain personal data.
personal_data_erasure = Signal()

# Sent by `services.digest.build_digests` once per chunk of readers, so that apps above this
# one add sections to the weekly digest. Keyword arguments: user_ids (the chunk), organisations
# ({user id: [ids of the organisations they edit]}), since and now (the week covered). Each
# receiver returns {user id: [DigestSection]}, with the key None for sections that go to every
# reader of the chunk; a constant number of queries per chunk keeps the digest cheap.
digest_sections = Signal()

# Sent by the organisation page so that apps above this one add sections to it. Keyword
# arguments: organisation, request. Each receiver returns None (nothing to show) or a
# (title, html) pair whose html its own template rendered, so it is already escaped.
organisation_profile_sections = Signal()

# Partner searches. Each is sent after commit, with plain ids, so a receiver above this app
# (the notification centre) can store and deliver without reloading inside the transaction.
# partner_search_interest: search_id, interest_id, organisation_id, recipient_ids (the author's
# managers). partner_search_comment: search_id, comment_id, author_id, recipient_ids (the
# followers and the author's managers, less the commenter). partner_search_updated: search_id,
# change ("edited", "published", "found", "abandoned", "expired"), recipient_ids (the followers
# and the managers of interested organisations).
partner_search_interest = Signal()
partner_search_comment = Signal()
partner_search_updated = Signal()
