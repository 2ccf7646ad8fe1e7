from day import *
# a jam at site B: the door of the next deposit does not open
for c in ["A-02","A-03","A-05","A-06","A-07","A-08"]: jam("B", c)
d = deposit("B","SF2234567890125","2-502","5678", do_close=False)
print(d)
time.sleep(5)
print(site("B").get(f"/api/v1/kiosk/deposits/{d['deposit_id']}").text[:300] if d else None)
