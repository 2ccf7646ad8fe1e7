// Reads JSON lines of {"doc": <command fields>} on stdin; for each prints
// {"canonical": <RFC 8785 form by the npm canonicalize package>, "sig": <base64 Ed25519 signature by Node>}.
// The private key (PKCS#8 PEM) is the first argument.
import fs from "node:fs";
import crypto from "node:crypto";
import canonicalize from "canonicalize";

const key = crypto.createPrivateKey(fs.readFileSync(process.argv[2]));
const lines = fs.readFileSync(0, "utf8").split("\n").filter((l) => l.trim());
for (const line of lines) {
  const doc = JSON.parse(line).doc;
  const canonical = canonicalize(doc);
  const sig = crypto.sign(null, Buffer.from(canonical, "utf8"), key).toString("base64");
  process.stdout.write(JSON.stringify({ canonical, sig }) + "\n");
}
