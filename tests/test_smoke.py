from http import HTTPStatus

import pytest

from tests.conftest import LANGUAGES


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_and_index_render_in_every_language(client, site_tree, language):
    for path in (f"/{language}/", f"/{language}/practices/"):
        response = client.get(path)
        assert response.status_code == HTTPStatus.OK
        expected_dir = "rtl" if language == "ar" else "ltr"
        assert f'<html lang="{language}" dir="{expected_dir}">' in response.content.decode()
