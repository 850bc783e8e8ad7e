"""Error pages keep the portal's layout, speak the reader's language and say what to do next."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import bad_request


def _html(response):
    return response.content.decode()


@pytest.mark.django_db
def test_unknown_address_gets_the_portal_404_page(client):
    response = client.get("/no-such-page/")

    html = _html(response)
    assert response.status_code == 404
    assert "<title>Page not found · ClusterPortal</title>" in html
    assert '<main id="main" class="container" tabindex="-1">' in html
    assert '<a href="/organisations/">Search the organisation directory</a>' in html


@pytest.mark.django_db
def test_404_page_speaks_french(client):
    response = client.get("/no-such-page/", headers={"accept-language": "fr"})

    html = _html(response)
    assert response.status_code == 404
    assert "<h1>Page introuvable</h1>" in html
    assert '<a href="/">Aller à la page d\'accueil</a>' in html


@pytest.mark.django_db
def test_signed_in_person_without_the_right_gets_the_403_page(client, user):
    client.force_login(user)

    response = client.get("/staff/validation/", headers={"accept-language": "de"})

    html = _html(response)
    assert response.status_code == 403
    assert "<h1>Zugriff verweigert</h1>" in html
    assert "Ihr Konto darf diese Seite nicht öffnen." in html


@pytest.mark.django_db
def test_400_page_explains_and_links_home():
    request = RequestFactory().get("/")

    with translation.override("de"):
        response = bad_request(request, Exception("unreadable"))

    html = _html(response)
    assert response.status_code == 400
    assert "<h1>Ungültige Anfrage</h1>" in html
    assert '<a href="/">Zur Startseite</a>' in html


def test_500_page_stands_alone_in_the_reader_language():
    with translation.override("fr"):
        html = render_to_string("500.html")

    assert '<html lang="fr">' in html
    assert "<h1>Erreur du serveur</h1>" in html
    assert "{% extends" not in html
    assert '<link rel="stylesheet" href="/static/css/portal.css' in html
