//! The pool's bookkeeping, without sockets or clocks: which idle connections are kept for
//! which origin, most recently used first, until when, and how many. Time is passed in.
//! The driver owns the connections, checks liveness before reuse, and closes what is
//! dropped here (dropping a connection closes it).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use url::Url;

use crate::error::{Error, ErrorKind};

/// Where a pooled connection leads: scheme, host and port.
///
/// ```
/// let url = url::Url::parse("http://Example.com/a?b")?;
/// let key = h1_common::PoolKey::from_url(&url)?;
/// assert_eq!(key.to_string(), "http://example.com:80");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PoolKey {
    /// `http` or `https`.
    pub scheme: String,
    /// The host, lowercase (IPv6 addresses without brackets).
    pub host: String,
    /// The port, the scheme's default when the URL names none.
    pub port: u16,
}

impl PoolKey {
    /// The key of a URL.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidInput`] for a URL without a host or with a scheme other than
    /// `http` and `https`.
    ///
    /// ```
    /// use h1_common::PoolKey;
    /// use url::Url;
    ///
    /// let key = PoolKey::from_url(&Url::parse("https://[::1]/x")?)?;
    /// assert_eq!((key.host.as_str(), key.port), ("::1", 443));
    /// assert_eq!(key.to_string(), "https://[::1]:443");
    /// assert!(PoolKey::from_url(&Url::parse("ftp://a/")?).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_url(url: &Url) -> Result<Self, Error> {
        let scheme = url.scheme();
        if scheme != "http" && scheme != "https" {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                format!("unsupported URL scheme {scheme:?} (http and https only)"),
            ));
        }
        let host = match url.host() {
            Some(url::Host::Domain(d)) => d.to_ascii_lowercase(),
            Some(url::Host::Ipv4(a)) => a.to_string(),
            Some(url::Host::Ipv6(a)) => a.to_string(),
            None => {
                return Err(Error::new(
                    ErrorKind::InvalidInput,
                    format!("the URL {url} has no host"),
                ))
            }
        };
        let port = url.port_or_known_default().unwrap_or(80);
        Ok(Self {
            scheme: scheme.to_owned(),
            host,
            port,
        })
    }
}

impl std::fmt::Display for PoolKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.host.contains(':') {
            write!(f, "{}://[{}]:{}", self.scheme, self.host, self.port)
        } else {
            write!(f, "{}://{}:{}", self.scheme, self.host, self.port)
        }
    }
}

/// How long idle connections are kept, and how many.
///
/// ```
/// use std::time::Duration;
/// use h1_common::PoolConfig;
///
/// assert_eq!(PoolConfig::default().idle_timeout, Duration::from_secs(15));
/// let config = PoolConfig { max_idle_per_host: 2, ..PoolConfig::default() };
/// assert_eq!(config.max_idle_per_host, 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolConfig {
    /// How long an idle connection is kept (default 15 s, shorter than common servers'
    /// keep-alive timeouts). A server's `Keep-Alive: timeout=N` shortens it for its
    /// connections.
    pub idle_timeout: Duration,
    /// At most this many idle connections per origin (default 8); the least recently
    /// used goes first.
    pub max_idle_per_host: usize,
}

impl Default for PoolConfig {
    fn default() -> Self {
        Self {
            idle_timeout: Duration::from_secs(15),
            max_idle_per_host: 8,
        }
    }
}

#[derive(Debug)]
struct Idle<T> {
    conn: T,
    until: Instant,
}

/// Idle connections by origin, most recently used first; see the module docs.
///
/// ```
/// use std::time::{Duration, Instant};
/// use h1_common::{IdlePool, PoolConfig, PoolKey};
///
/// let key = PoolKey { scheme: "http".into(), host: "a".into(), port: 80 };
/// let mut pool = IdlePool::new(PoolConfig::default());
/// let t0 = Instant::now();
/// pool.put(key.clone(), "first", t0, None);
/// pool.put(key.clone(), "second", t0, Some(Duration::from_secs(5)));
/// assert_eq!(pool.take(&key, t0), Some("second")); // most recently used first
/// assert_eq!(pool.take(&key, t0 + Duration::from_secs(20)), None); // "first" expired
/// ```
#[derive(Debug)]
pub struct IdlePool<T> {
    config: PoolConfig,
    idle: HashMap<PoolKey, Vec<Idle<T>>>,
}

impl<T> IdlePool<T> {
    /// An empty pool.
    ///
    /// ```
    /// use h1_common::{IdlePool, PoolConfig};
    ///
    /// let pool: IdlePool<u32> = IdlePool::new(PoolConfig::default());
    /// assert!(pool.is_empty());
    /// ```
    pub fn new(config: PoolConfig) -> Self {
        Self {
            config,
            idle: HashMap::new(),
        }
    }

    /// The configuration.
    ///
    /// ```
    /// use h1_common::{IdlePool, PoolConfig};
    ///
    /// let config = PoolConfig { max_idle_per_host: 3, ..PoolConfig::default() };
    /// let pool: IdlePool<u32> = IdlePool::new(config);
    /// assert_eq!(pool.config().max_idle_per_host, 3);
    /// ```
    pub fn config(&self) -> &PoolConfig {
        &self.config
    }

    /// Keeps `conn` idle for `key` from `now`, for the configured idle timeout or the
    /// server's `keep_alive` timeout, whichever is shorter. Returns the connections this
    /// pushes out (over the per-origin maximum, least recently used first), for the
    /// caller to close; with a maximum of 0, `conn` itself.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use h1_common::{IdlePool, PoolConfig, PoolKey};
    ///
    /// let key = PoolKey { scheme: "http".into(), host: "a".into(), port: 80 };
    /// let config = PoolConfig { max_idle_per_host: 2, ..PoolConfig::default() };
    /// let mut pool = IdlePool::new(config);
    /// let now = Instant::now();
    /// assert!(pool.put(key.clone(), 1, now, None).is_empty());
    /// assert!(pool.put(key.clone(), 2, now, None).is_empty());
    /// assert_eq!(pool.put(key.clone(), 3, now, None), vec![1]); // over the maximum
    /// // A server keep-alive of 1 s is shortened by a margin of 0.5 s.
    /// assert_eq!(pool.put(key.clone(), 4, now, Some(Duration::from_secs(1))), vec![2]);
    /// assert_eq!(pool.take(&key, now + Duration::from_millis(600)), Some(3));
    /// ```
    pub fn put(
        &mut self,
        key: PoolKey,
        conn: T,
        now: Instant,
        keep_alive: Option<Duration>,
    ) -> Vec<T> {
        let mut ttl = self.config.idle_timeout;
        if let Some(server) = keep_alive {
            // Leave a margin so we never send on a connection the server is closing.
            ttl = ttl.min(server.saturating_sub(Duration::from_millis(500)));
        }
        if ttl.is_zero() || self.config.max_idle_per_host == 0 {
            return vec![conn];
        }
        let list = self.idle.entry(key).or_default();
        list.push(Idle {
            conn,
            until: now + ttl,
        });
        let over = list.len().saturating_sub(self.config.max_idle_per_host);
        list.drain(..over).map(|i| i.conn).collect()
    }

    /// The most recently used idle connection for `key` that has not expired at `now`.
    /// Expired ones are dropped (closed) on the way.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use h1_common::{IdlePool, PoolConfig, PoolKey};
    ///
    /// let key = PoolKey { scheme: "http".into(), host: "a".into(), port: 80 };
    /// let mut pool = IdlePool::new(PoolConfig::default());
    /// let now = Instant::now();
    /// pool.put(key.clone(), "old", now, None);
    /// pool.put(key.clone(), "new", now + Duration::from_secs(10), None);
    /// // At 20 s "old" has expired (15 s), "new" has not.
    /// assert_eq!(pool.take(&key, now + Duration::from_secs(20)), Some("new"));
    /// assert_eq!(pool.take(&key, now + Duration::from_secs(20)), None);
    /// assert!(pool.is_empty());
    /// ```
    pub fn take(&mut self, key: &PoolKey, now: Instant) -> Option<T> {
        let list = self.idle.get_mut(key)?;
        let mut found = None;
        while let Some(idle) = list.pop() {
            if idle.until > now {
                found = Some(idle.conn);
                break;
            }
        }
        // Whatever is older than an expired one expired too.
        list.retain(|i| i.until > now);
        if list.is_empty() {
            self.idle.remove(key);
        }
        found
    }

    /// Drops every expired connection; returns how many were dropped.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use h1_common::{IdlePool, PoolConfig, PoolKey};
    ///
    /// let key = PoolKey { scheme: "http".into(), host: "a".into(), port: 80 };
    /// let mut pool = IdlePool::new(PoolConfig::default());
    /// let now = Instant::now();
    /// pool.put(key.clone(), 1, now, Some(Duration::from_secs(2)));
    /// pool.put(key.clone(), 2, now, None);
    /// assert_eq!(pool.prune(now + Duration::from_secs(5)), 1);
    /// assert_eq!(pool.len(), 1);
    /// ```
    pub fn prune(&mut self, now: Instant) -> usize {
        let mut dropped = 0;
        self.idle.retain(|_, list| {
            let before = list.len();
            list.retain(|i| i.until > now);
            dropped += before - list.len();
            !list.is_empty()
        });
        dropped
    }

    /// Idle connections kept for `key`.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use h1_common::{IdlePool, PoolConfig, PoolKey};
    ///
    /// let key = PoolKey { scheme: "http".into(), host: "a".into(), port: 80 };
    /// let other = PoolKey { port: 8080, ..key.clone() };
    /// let mut pool = IdlePool::new(PoolConfig::default());
    /// let now = Instant::now();
    /// pool.put(key.clone(), 1, now, None);
    /// pool.put(key.clone(), 2, now, None);
    /// assert_eq!((pool.idle_count(&key), pool.idle_count(&other)), (2, 0));
    /// ```
    pub fn idle_count(&self, key: &PoolKey) -> usize {
        self.idle.get(key).map_or(0, Vec::len)
    }

    /// Idle connections kept in all.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use h1_common::{IdlePool, PoolConfig, PoolKey};
    ///
    /// let key = PoolKey { scheme: "http".into(), host: "a".into(), port: 80 };
    /// let other = PoolKey { port: 8080, ..key.clone() };
    /// let mut pool = IdlePool::new(PoolConfig::default());
    /// let now = Instant::now();
    /// pool.put(key, 1, now, None);
    /// pool.put(other, 2, now, None);
    /// assert_eq!(pool.len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.idle.values().map(Vec::len).sum()
    }

    /// True when no connection is kept.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use h1_common::{IdlePool, PoolConfig, PoolKey};
    ///
    /// let key = PoolKey { scheme: "http".into(), host: "a".into(), port: 80 };
    /// let mut pool = IdlePool::new(PoolConfig::default());
    /// assert!(pool.is_empty());
    /// pool.put(key.clone(), 1, Instant::now(), None);
    /// assert!(!pool.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.idle.is_empty()
    }

    /// Drops every idle connection.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use h1_common::{IdlePool, PoolConfig, PoolKey};
    ///
    /// let key = PoolKey { scheme: "http".into(), host: "a".into(), port: 80 };
    /// let mut pool = IdlePool::new(PoolConfig::default());
    /// pool.put(key.clone(), 1, Instant::now(), None);
    /// pool.clear();
    /// assert_eq!((pool.len(), pool.idle_count(&key)), (0, 0));
    /// ```
    pub fn clear(&mut self) {
        self.idle.clear();
    }
}

/// The `timeout=N` parameter of a response's `Keep-Alive` field: how long the server keeps
/// an idle connection open.
///
/// ```
/// use std::time::Duration;
/// let mut headers = h1::Headers::new();
/// headers.append("Keep-Alive", "timeout=5, max=100")?;
/// assert_eq!(h1_common::keep_alive_timeout(&headers), Some(Duration::from_secs(5)));
/// # Ok::<(), h1::Error>(())
/// ```
pub fn keep_alive_timeout(headers: &h1::Headers) -> Option<Duration> {
    headers
        .get_all("keep-alive")
        .filter_map(|v| std::str::from_utf8(v).ok())
        .flat_map(|v| v.split(','))
        .filter_map(|param| {
            let (name, value) = param.split_once('=')?;
            if !name.trim().eq_ignore_ascii_case("timeout") {
                return None;
            }
            value.trim().trim_matches('"').parse::<u64>().ok()
        })
        .map(Duration::from_secs)
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(host: &str) -> PoolKey {
        PoolKey {
            scheme: "http".into(),
            host: host.into(),
            port: 80,
        }
    }

    #[test]
    fn most_recent_first_and_per_host() {
        let mut pool = IdlePool::new(PoolConfig::default());
        let t = Instant::now();
        assert!(pool.put(key("a"), 1, t, None).is_empty());
        assert!(pool.put(key("b"), 2, t, None).is_empty());
        assert!(pool.put(key("a"), 3, t, None).is_empty());
        assert_eq!(pool.len(), 3);
        assert_eq!(pool.take(&key("a"), t), Some(3));
        assert_eq!(pool.take(&key("a"), t), Some(1));
        assert_eq!(pool.take(&key("a"), t), None);
        assert_eq!(pool.take(&key("b"), t), Some(2));
        assert!(pool.is_empty());
    }

    #[test]
    fn at_most_n_idle_per_host_oldest_pushed_out() {
        let config = PoolConfig {
            max_idle_per_host: 2,
            ..PoolConfig::default()
        };
        let mut pool = IdlePool::new(config);
        let t = Instant::now();
        pool.put(key("a"), 1, t, None);
        pool.put(key("a"), 2, t, None);
        assert_eq!(pool.put(key("a"), 3, t, None), vec![1]);
        assert_eq!(pool.idle_count(&key("a")), 2);
        let none = PoolConfig {
            max_idle_per_host: 0,
            ..PoolConfig::default()
        };
        assert_eq!(IdlePool::new(none).put(key("a"), 9, t, None), vec![9]);
    }

    #[test]
    fn idle_timeout_and_server_keep_alive() {
        let mut pool = IdlePool::new(PoolConfig::default());
        let t = Instant::now();
        pool.put(key("a"), 1, t, None);
        assert_eq!(pool.take(&key("a"), t + Duration::from_secs(14)), Some(1));
        pool.put(key("a"), 1, t, None);
        assert_eq!(pool.take(&key("a"), t + Duration::from_secs(15)), None);
        // The server keeps idle connections 2 s: ours expire before.
        pool.put(key("a"), 2, t, Some(Duration::from_secs(2)));
        assert_eq!(pool.take(&key("a"), t + Duration::from_secs(2)), None);
        pool.put(key("a"), 2, t, Some(Duration::from_secs(2)));
        assert_eq!(pool.take(&key("a"), t + Duration::from_secs(1)), Some(2));
        // A server timeout longer than ours changes nothing.
        pool.put(key("a"), 3, t, Some(Duration::from_secs(60)));
        assert_eq!(pool.prune(t + Duration::from_secs(16)), 1);
        // timeout=0: not kept at all.
        assert_eq!(pool.put(key("a"), 4, t, Some(Duration::ZERO)), vec![4]);
    }

    #[test]
    fn keep_alive_parameters() {
        let mut h = h1::Headers::new();
        assert_eq!(keep_alive_timeout(&h), None);
        h.append("Keep-Alive", "max=5, TIMEOUT = 7").unwrap();
        assert_eq!(keep_alive_timeout(&h), Some(Duration::from_secs(7)));
        let mut h = h1::Headers::new();
        h.append("Keep-Alive", "timeout=x").unwrap();
        assert_eq!(keep_alive_timeout(&h), None);
    }

    #[test]
    fn keys_from_urls() {
        let k = |s: &str| PoolKey::from_url(&Url::parse(s).unwrap());
        assert_eq!(
            k("http://a.example/").unwrap(),
            k("http://A.EXAMPLE:80/x").unwrap()
        );
        assert_ne!(
            k("http://a.example/").unwrap(),
            k("https://a.example/").unwrap()
        );
        assert_eq!(k("https://a.example/").unwrap().port, 443);
        assert_eq!(
            k("http://[::1]:8080/").unwrap().to_string(),
            "http://[::1]:8080"
        );
        assert_eq!(k("ftp://a/").unwrap_err().kind(), ErrorKind::InvalidInput);
    }
}
