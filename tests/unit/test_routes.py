"""Every page is registered once, under the route its module names."""

import wbs_app.wbs_app as app_module
from wbs_app import routes


def test_no_route_is_registered_twice():
    paths = [page.route for page in app_module.PAGES]
    assert len(paths) == len(set(paths))


def test_every_route_constant_has_a_page():
    constants = {value for name, value in vars(routes).items() if name.isupper() and isinstance(value, str)}
    assert constants == {page.route for page in app_module.PAGES}
