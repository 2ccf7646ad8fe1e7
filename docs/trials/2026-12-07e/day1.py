from day import *
# site A (sim.toml): 4 deposits, 2 pickups
deposit("A","SF1234567890124","2-502","5678")
deposit("A","JD0012345678901","3-1201","0420")
deposit("A","SF1234567890125","5-801","8888")
deposit("A","SF1234567890126","1-101","1234")
pickup("A","SF1234567890124"); pickup("A","SF1234567890125")
# site B (kerong, lockerd run): 4 deposits, 2 pickups
deposit("B","SF2234567890121","1-101","1234")
deposit("B","SF2234567890122","2-502","5678")
deposit("B","SF2234567890123","3-1201","9012")
deposit("B","SF2234567890124","1-101","1234")
pickup("B","SF2234567890121"); pickup("B","SF2234567890122")
# site C (gpio MockFactory): 3 deposits, 1 pickup
deposit("C","JD0022345678901","1-101","1234", courier="100003")
deposit("C","SF3234567890121","2-502","5678")
deposit("C","SF3234567890122","5-801","8888")
pickup("C","JD0022345678901")
