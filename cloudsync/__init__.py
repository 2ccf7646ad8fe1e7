"""Cloud sync over MQTT (DESIGN.md section 4): the only package that imports paho. See docs/mqtt.md."""
