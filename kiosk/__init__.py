"""The touch kiosk: a static page (kiosk/static/) served at /kiosk by kiosk.web, talking to /api/v1/kiosk."""
