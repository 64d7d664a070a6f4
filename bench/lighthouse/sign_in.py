"""Signs someone in to a Production server the way a person does and prints the Cookie header of that session, for
Lighthouse's --extra-headers. With --authenticator (staff): sets an authenticator app up, signs out, and signs in again
with the password and a code from it. Usage: sign_in.py BASE_URL EMAIL PASSWORD [--authenticator]"""
import base64, hashlib, hmac, http.cookiejar, re, struct, sys, time, urllib.parse, urllib.request

base, email, password = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
jar = http.cookiejar.CookieJar()
web = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def get(path):
    return web.open(f"{base}/{path}").read().decode()


def post(path, page, **fields):
    token = re.search(r'name="__RequestVerificationToken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"__RequestVerificationToken": token, **fields}).encode()
    return web.open(f"{base}/{path}", body).read().decode()


def totp(key):
    secret = base64.b32decode(key.replace(" ", "").upper() + "=" * (-len(key.replace(" ", "")) % 8))
    digest = hmac.new(secret, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def sign_in():
    return post("Account/Login", get("Account/Login"), _handler="login", **{"Input.Email": email, "Input.Password": password})


page = sign_in()
if "--authenticator" not in sys.argv:
    if "AccessDenied" in web.open(f"{base}/orders").url or not any(c.name.endswith("Identity.Application") for c in jar):
        sys.exit("sign_in.py: could not sign in")
    print("; ".join(f"{c.name}={c.value}" for c in jar))
    sys.exit(0)
page = get("Account/Manage/EnableAuthenticator")
key = re.search(r'id="shared-key">([^<]+)<', page).group(1).strip()
post("Account/Manage/EnableAuthenticator", page, _handler="send-code", **{"Input.Code": totp(key)})
post("Account/Logout", get("Account/Manage"), ReturnUrl="/")
# Same code twice in one 30-second step may be refused as a replay: wait for the next step.
time.sleep(31 - int(time.time()) % 30)
page = sign_in()
post("Account/LoginWith2fa", page, _handler="login-with-2fa", **{"Input.TwoFactorCode": totp(key)})
if "AccessDenied" in web.open(f"{base}/console/customers").url:
    sys.exit("sign_in.py: could not sign in with the authenticator code")
print("; ".join(f"{c.name}={c.value}" for c in jar))
