//! Request counts and latencies for `GET /metrics`, in the Prometheus text format.
//!
//! Written by hand rather than with a metrics crate: the format is a few lines of text,
//! and the request path (more than 10,000 check-ins a second) then costs a table probe
//! and three atomic additions, with no lock, no label set built per request and no
//! dependency. Routes are counted by their template (`/r/{token}`, never the path with
//! its secret), so the series are bounded by the route table.

use std::future::{ready, Future, Ready};
use std::hash::BuildHasher;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicU16, AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::Method;

/// Upper bounds of the latency buckets, in microseconds (the format's `le` in seconds).
const BUCKETS_MICROS: [u64; 12] = [
    1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000,
    10_000_000,
];
/// Room for every (method, route) pair of the route table, several times over.
const SLOTS: usize = 512;
/// Distinct status codes counted per route; more are counted as `other`.
const STATUSES: usize = 16;
const METHODS: [&str; 8] = [
    "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "OTHER",
];
/// The route label of requests no route matched (their paths are not labels), and of the
/// rare ones that failed before a response was made.
pub const UNMATCHED: &str = "unmatched";

fn method_index(m: &Method) -> u8 {
    match *m {
        Method::GET => 0,
        Method::HEAD => 1,
        Method::POST => 2,
        Method::PUT => 3,
        Method::DELETE => 4,
        Method::PATCH => 5,
        Method::OPTIONS => 6,
        _ => 7,
    }
}

struct StatusCount {
    code: AtomicU16,
    count: AtomicU64,
}

/// The figures of one method on one route.
struct Route {
    method: u8,
    pattern: Box<str>,
    statuses: [StatusCount; STATUSES],
    other_status: AtomicU64,
    /// Per bucket, not cumulative; the last one is `+Inf`.
    buckets: [AtomicU64; BUCKETS_MICROS.len() + 1],
    sum_micros: AtomicU64,
}

impl Route {
    fn new(method: u8, pattern: &str) -> Self {
        Route {
            method,
            pattern: pattern.into(),
            statuses: std::array::from_fn(|_| StatusCount {
                code: AtomicU16::new(0),
                count: AtomicU64::new(0),
            }),
            other_status: AtomicU64::new(0),
            buckets: std::array::from_fn(|_| AtomicU64::new(0)),
            sum_micros: AtomicU64::new(0),
        }
    }

    fn is(&self, method: u8, pattern: &str) -> bool {
        self.method == method && &*self.pattern == pattern
    }

    fn count_status(&self, status: u16) {
        for cell in &self.statuses {
            let code = cell.code.load(Relaxed);
            let mine = code == status
                || (code == 0
                    && match cell.code.compare_exchange(0, status, Relaxed, Relaxed) {
                        Ok(_) => true,
                        Err(now) => now == status,
                    });
            if mine {
                cell.count.fetch_add(1, Relaxed);
                return;
            }
        }
        self.other_status.fetch_add(1, Relaxed);
    }

    fn observe(&self, elapsed: Duration) {
        let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        let bucket = BUCKETS_MICROS
            .iter()
            .position(|&bound| micros <= bound)
            .unwrap_or(BUCKETS_MICROS.len());
        self.buckets[bucket].fetch_add(1, Relaxed);
        self.sum_micros.fetch_add(micros, Relaxed);
    }
}

/// Every route's figures since the server started: a fixed open-addressing table whose
/// slots are filled once and never move, so readers and writers take no lock.
pub struct Requests {
    slots: Box<[OnceLock<Box<Route>>]>,
    /// Where requests go if the table were ever full.
    overflow: Route,
    hasher: foldhash::fast::FixedState,
    pub started: Instant,
}

impl Default for Requests {
    fn default() -> Self {
        Requests {
            slots: (0..SLOTS).map(|_| OnceLock::new()).collect(),
            overflow: Route::new(7, "other"),
            hasher: foldhash::fast::FixedState::default(),
            started: Instant::now(),
        }
    }
}

impl Requests {
    fn route(&self, method: u8, pattern: &str) -> &Route {
        let start = self.hasher.hash_one((method, pattern)) as usize % SLOTS;
        for i in 0..SLOTS {
            let slot = &self.slots[(start + i) % SLOTS];
            let route = match slot.get() {
                Some(route) => route,
                None => slot.get_or_init(|| Box::new(Route::new(method, pattern))),
            };
            if route.is(method, pattern) {
                return route;
            }
        }
        &self.overflow
    }

    /// Counts one answered request.
    pub fn record(&self, method: &Method, pattern: Option<&str>, status: u16, elapsed: Duration) {
        let route = self.route(method_index(method), pattern.unwrap_or(UNMATCHED));
        route.count_status(status);
        route.observe(elapsed);
    }

    /// The request figures in the text exposition format.
    pub fn render(&self, out: &mut String) {
        use std::fmt::Write;
        let mut routes: Vec<&Route> = self
            .slots
            .iter()
            .filter_map(|s| s.get().map(|r| &**r))
            .chain(
                (self.overflow.buckets.iter().any(|b| b.load(Relaxed) > 0))
                    .then_some(&self.overflow),
            )
            .collect();
        routes.sort_by(|a, b| (&a.pattern, a.method).cmp(&(&b.pattern, b.method)));
        let labels = |r: &Route| {
            format!(
                "route=\"{}\",method=\"{}\"",
                escape(&r.pattern),
                METHODS[r.method as usize]
            )
        };
        out.push_str(
            "# HELP rencontres_http_requests_total Requests answered, by route template, method and status.\n\
             # TYPE rencontres_http_requests_total counter\n",
        );
        for r in &routes {
            let l = labels(r);
            for cell in &r.statuses {
                let (code, n) = (cell.code.load(Relaxed), cell.count.load(Relaxed));
                if code != 0 && n > 0 {
                    let _ = writeln!(
                        out,
                        "rencontres_http_requests_total{{{l},status=\"{code}\"}} {n}"
                    );
                }
            }
            let other = r.other_status.load(Relaxed);
            if other > 0 {
                let _ = writeln!(
                    out,
                    "rencontres_http_requests_total{{{l},status=\"other\"}} {other}"
                );
            }
        }
        out.push_str(
            "# HELP rencontres_http_request_duration_seconds Time from a request's arrival to its response's head, by route template and method.\n\
             # TYPE rencontres_http_request_duration_seconds histogram\n",
        );
        for r in &routes {
            let l = labels(r);
            let mut cumulative = 0;
            for (i, bucket) in r.buckets.iter().enumerate() {
                cumulative += bucket.load(Relaxed);
                let le = match BUCKETS_MICROS.get(i) {
                    Some(&micros) => format!("{}", micros as f64 / 1e6),
                    None => "+Inf".into(),
                };
                let _ = writeln!(
                    out,
                    "rencontres_http_request_duration_seconds_bucket{{{l},le=\"{le}\"}} {cumulative}"
                );
            }
            let sum = r.sum_micros.load(Relaxed) as f64 / 1e6;
            let _ = writeln!(
                out,
                "rencontres_http_request_duration_seconds_sum{{{l}}} {sum}\n\
                 rencontres_http_request_duration_seconds_count{{{l}}} {cumulative}"
            );
        }
    }
}

/// A label value as the format wants it: backslash, quote and newline escaped.
pub fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The middleware that counts every request (outermost, so it sees every answer).
pub struct Track(pub Arc<Requests>);

impl<S, B> Transform<S, ServiceRequest> for Track
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<B>;
    type Error = actix_web::Error;
    type Transform = Tracked<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(Tracked {
            service,
            requests: Rc::new(self.0.clone()),
        }))
    }
}

pub struct Tracked<S> {
    service: S,
    /// One per worker thread: cloned per request without touching a shared counter (an
    /// `Arc` clone is an atomic operation on a cache line every worker writes).
    #[allow(clippy::redundant_allocation)]
    requests: Rc<Arc<Requests>>,
}

type Answer<B> = Result<ServiceResponse<B>, actix_web::Error>;

impl<S, B> Service<ServiceRequest> for Tracked<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<B>;
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Answer<B>>>>;

    actix_web::dev::forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let started = Instant::now();
        // Only plain values are kept: a clone of the request would stop the router from
        // writing the path's parameters into it.
        let method = method_index(req.method());
        let requests = self.requests.clone();
        let answer = self.service.call(req);
        Box::pin(async move {
            let answer = answer.await;
            let (status, pattern) = match &answer {
                Ok(res) => (res.status().as_u16(), res.request().match_pattern()),
                // No request to read the route from: counted with the unmatched ones.
                Err(e) => (e.as_response_error().status_code().as_u16(), None),
            };
            let route = requests.route(method, pattern.as_deref().unwrap_or(UNMATCHED));
            route.count_status(status);
            route.observe(started.elapsed());
            answer
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line<'a>(text: &'a str, start: &str) -> Option<&'a str> {
        text.lines()
            .find(|l| l.starts_with(start))
            .and_then(|l| l.rsplit(' ').next())
    }

    #[test]
    fn requests_are_counted_by_template_method_and_status() {
        let r = Requests::default();
        let ms = Duration::from_millis;
        r.record(&Method::POST, Some("/api/v1/checkins"), 200, ms(2));
        r.record(&Method::POST, Some("/api/v1/checkins"), 200, ms(30));
        r.record(&Method::POST, Some("/api/v1/checkins"), 401, ms(20_000));
        r.record(&Method::GET, Some("/r/{token}"), 200, ms(1));
        r.record(&Method::GET, None, 404, ms(1));
        let mut out = String::new();
        r.render(&mut out);
        let ci = "route=\"/api/v1/checkins\",method=\"POST\"";
        assert_eq!(
            line(
                &out,
                &format!("rencontres_http_requests_total{{{ci},status=\"200\"}}")
            ),
            Some("2")
        );
        assert_eq!(
            line(
                &out,
                &format!("rencontres_http_requests_total{{{ci},status=\"401\"}}")
            ),
            Some("1")
        );
        // Buckets are cumulative; the slowest lands in +Inf only.
        let bucket = |le: &str| {
            line(
                &out,
                &format!("rencontres_http_request_duration_seconds_bucket{{{ci},le=\"{le}\"}}"),
            )
        };
        assert_eq!(bucket("0.001"), Some("0"));
        assert_eq!(bucket("0.0025"), Some("1"));
        assert_eq!(bucket("0.05"), Some("2"));
        assert_eq!(bucket("10"), Some("2"));
        assert_eq!(bucket("+Inf"), Some("3"));
        assert_eq!(
            line(
                &out,
                &format!("rencontres_http_request_duration_seconds_count{{{ci}}}")
            ),
            Some("3")
        );
        assert_eq!(
            line(
                &out,
                &format!("rencontres_http_request_duration_seconds_sum{{{ci}}}")
            ),
            Some("20.032")
        );
        assert!(out.contains("route=\"/r/{token}\",method=\"GET\",status=\"200\"} 1"));
        assert!(out.contains("route=\"unmatched\",method=\"GET\",status=\"404\"} 1"));
    }

    #[test]
    fn many_statuses_and_routes_stay_bounded() {
        let r = Requests::default();
        for code in 200..240 {
            r.record(&Method::GET, Some("/x"), code, Duration::ZERO);
        }
        for i in 0..(SLOTS + 10) {
            r.record(&Method::GET, Some(&format!("/r{i}")), 200, Duration::ZERO);
        }
        let mut out = String::new();
        r.render(&mut out);
        assert!(out.contains("route=\"/x\",method=\"GET\",status=\"other\"} 24"));
        assert!(out.contains("route=\"other\",method=\"OTHER\",status=\"200\"} 11"));
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
