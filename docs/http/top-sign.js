// Signs a TOP request for the JetBrains HTTP Client (a pre-request script: "< ./top-sign.js").
// It reads the parameters of the URL's query and of a form body (a multipart body is not read: put the text
// parameters of an upload in the query, as the Java SDK does), stamps the demo tenant's virtual time in GMT+8 (request 0
// of fliggy-flight.http stores the clock's offset) and sets {{timestamp}} and {{sign}}:
// sign = upper-case hex of MD5(secret + key1value1key2value2… + secret), keys sorted, values URL-decoded.
const secret = request.environment.get("appSecret") || "helloworld";
const offset = Number(client.global.get("clockOffsetMs") || "0");
const china = new Date(Date.now() + offset + 8 * 3600 * 1000);
const pad = n => String(n).padStart(2, "0");
const timestamp = `${china.getUTCFullYear()}-${pad(china.getUTCMonth() + 1)}-${pad(china.getUTCDate())} ` +
    `${pad(china.getUTCHours())}:${pad(china.getUTCMinutes())}:${pad(china.getUTCSeconds())}`;

const params = { timestamp };
function read(form) {
    for (const pair of form.split("&")) {
        const eq = pair.indexOf("=");
        const key = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
        if (key === "" || key === "timestamp" || key === "sign") continue;
        params[key] = eq < 0 ? "" : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, " "));
    }
}
const url = request.url.tryGetSubstituted();
if (url.includes("?")) read(url.slice(url.indexOf("?") + 1));
const body = request.body.tryGetSubstituted();
if (body && !body.startsWith("--")) read(body.trim());

const text = Object.keys(params).sort().map(k => k + params[k]).join("");
const sign = crypto.md5().updateWithText(secret + text + secret).digest().toHex().toUpperCase();
request.variables.set("timestamp", encodeURIComponent(timestamp));
request.variables.set("sign", sign);
