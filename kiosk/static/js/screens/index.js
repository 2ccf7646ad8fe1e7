// Screen registry: name -> factory(ctx, args) returning {el, onKey?, onScan?, onDoor?, leave?, idle?}.
import { home } from "./home.js";
import { pickup, pickupOpen } from "./pickup.js";
import { courierLogin, waybill, size, recipient } from "./courier.js";
import { depositDoor, depositDone } from "./deposit.js";

export const SCREENS = { home, pickup, pickupOpen, courierLogin, waybill, size, recipient, depositDoor, depositDone };
