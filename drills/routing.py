from django.urls import path

from drills.consumers import DrillConsumer

websocket_urlpatterns = [path("ws/drills/<int:drill_id>/", DrillConsumer.as_asgi())]
