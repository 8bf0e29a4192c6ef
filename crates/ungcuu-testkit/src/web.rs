//! A cookie-keeping client that behaves like a browser without JavaScript: it reads the CSRF
//! token from each page and sends forms the way a browser would.

use std::collections::HashMap;
use std::sync::Mutex;

/// An answer: status, headers of interest, body.
#[derive(Debug, Clone)]
pub struct Resp {
    /// HTTP status.
    pub status: u16,
    /// `Location`, for redirects.
    pub location: Option<String>,
    /// Every `Set-Cookie`.
    pub set_cookies: Vec<String>,
    /// Every header, lower-case names.
    pub headers: HashMap<String, String>,
    /// Body text.
    pub body: String,
}

/// The `_csrf` hidden field of a page.
pub fn csrf_from(html: &str) -> Option<String> {
    let i = html.find("name=\"_csrf\" value=\"")? + "name=\"_csrf\" value=\"".len();
    Some(html[i..].split('"').next()?.to_string())
}

/// A browser-like session against a [`crate::TestApp`].
pub struct WebSession {
    base: String,
    client: reqwest::Client,
    cookies: Mutex<HashMap<String, String>>,
    /// The CSRF token seen on the last page.
    pub csrf: Mutex<Option<String>>,
    /// The `Origin` header sent with forms (`None`: none, like a non-browser client).
    pub origin: Option<String>,
}

impl WebSession {
    /// A new session with no cookies.
    pub fn new(base: &str) -> Self {
        WebSession {
            base: base.to_string(),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            cookies: Mutex::new(HashMap::new()),
            csrf: Mutex::new(None),
            origin: Some(base.to_string()),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .lock()
            .expect("lock")
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The value of a cookie whose name contains `part`.
    pub fn cookie(&self, part: &str) -> Option<String> {
        self.cookies
            .lock()
            .expect("lock")
            .iter()
            .find(|(k, _)| k.contains(part))
            .map(|(_, v)| v.clone())
    }

    /// Sets a cookie by hand (to plant a value, as an attacker would).
    pub fn set_cookie(&self, name: &str, value: &str) {
        self.cookies
            .lock()
            .expect("lock")
            .insert(name.into(), value.into());
    }

    async fn finish(&self, r: reqwest::Response) -> Resp {
        let status = r.status().as_u16();
        let mut headers = HashMap::new();
        for (k, v) in r.headers() {
            headers.insert(k.as_str().to_string(), v.to_str().unwrap_or("").to_string());
        }
        let set_cookies: Vec<String> = r
            .headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_string))
            .collect();
        {
            let mut jar = self.cookies.lock().expect("lock");
            for sc in &set_cookies {
                let first = sc.split(';').next().unwrap_or("");
                if let Some((k, v)) = first.split_once('=') {
                    let expired = sc.contains("Max-Age=0");
                    if expired || v.is_empty() {
                        jar.remove(k);
                    } else {
                        jar.insert(k.to_string(), v.to_string());
                    }
                }
            }
        }
        let location = r
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = r.text().await.unwrap_or_default();
        if let Some(t) = csrf_from(&body) {
            *self.csrf.lock().expect("lock") = Some(t);
        }
        Resp {
            status,
            location,
            set_cookies,
            headers,
            body,
        }
    }

    /// GET a path.
    pub async fn get(&self, path: &str) -> Resp {
        let r = self
            .client
            .get(format!("{}{}", self.base, path))
            .header(reqwest::header::COOKIE, self.cookie_header())
            .send()
            .await
            .expect("request");
        self.finish(r).await
    }

    /// POST a form, adding the last seen CSRF token unless the fields carry one.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let mut form: Vec<(String, String)> = fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        if !fields.iter().any(|(k, _)| *k == "_csrf")
            && let Some(t) = self.csrf.lock().expect("lock").clone()
        {
            form.push(("_csrf".into(), t));
        }
        let mut req = self
            .client
            .post(format!("{}{}", self.base, path))
            .header(reqwest::header::COOKIE, self.cookie_header())
            .form(&form);
        if let Some(o) = &self.origin {
            req = req.header(reqwest::header::ORIGIN, o);
        }
        let r = req.send().await.expect("request");
        self.finish(r).await
    }

    /// POST a `multipart/form-data` form as a browser would: the CSRF token of the last page
    /// first (unless `fields` has one), then `fields`, then each file as
    /// (field name, file name, bytes).
    pub async fn post_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Resp {
        let boundary = "----ungcuu-web-session-boundary-5LqK2vX9";
        let mut body = Vec::new();
        let mut part = |name: &str, file_name: Option<&str>, bytes: &[u8]| {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            match file_name {
                Some(f) => body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                    )
                    .as_bytes(),
                ),
                None => body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                ),
            }
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        };
        if !fields.iter().any(|(k, _)| *k == "_csrf")
            && let Some(t) = self.csrf.lock().expect("lock").clone()
        {
            part("_csrf", None, t.as_bytes());
        }
        for (k, v) in fields {
            part(k, None, v.as_bytes());
        }
        for (name, file_name, bytes) in files {
            part(name, Some(file_name), bytes);
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let mut req = self
            .client
            .post(format!("{}{}", self.base, path))
            .header(reqwest::header::COOKIE, self.cookie_header())
            .header(
                reqwest::header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body);
        if let Some(o) = &self.origin {
            req = req.header(reqwest::header::ORIGIN, o);
        }
        let r = req.send().await.expect("request");
        self.finish(r).await
    }

    /// Signs in through the form; returns the answer to the POST.
    pub async fn login(&self, email: &str, password: &str) -> Resp {
        self.get("/login").await;
        self.post("/login", &[("email", email), ("password", password)])
            .await
    }
}
