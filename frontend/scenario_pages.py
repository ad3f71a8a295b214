"""Pages: see the module that fills this in."""

urlpatterns: list = []
