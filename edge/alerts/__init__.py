"""Staff alerts to group robots (WeCom, DingTalk, a JSON webhook) and the console's alarm area; runs at
the edge, with or without cloud sync."""
