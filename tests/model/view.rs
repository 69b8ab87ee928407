//! The model of `tests/model.rs`: one connection's picture of both sides, from h11's
//! tables (`h11/_state.py`), written without looking at src/state.rs; and what each call
//! of the test does to it.

use h1::{Role, State};

use State::*;

/// What moves a side's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ev {
    Request,
    Informational,
    /// A 101 that accepts the client's Upgrade.
    AcceptUpgrade,
    Response,
    /// A 2xx that accepts the client's CONNECT.
    AcceptConnect,
    Data,
    End,
    Close,
}

/// h11's `EVENT_TRIGGERED_TRANSITIONS` for the client: (from, event, to).
pub(crate) const CLIENT_MOVES: &[(State, Ev, State)] = &[
    (Idle, Ev::Request, SendBody),
    (Idle, Ev::Close, Closed),
    (SendBody, Ev::Data, SendBody),
    (SendBody, Ev::End, Done),
    (Done, Ev::Close, Closed),
    (MustClose, Ev::Close, Closed),
    (Closed, Ev::Close, Closed),
];

/// The same for the server. (A client's Request also moves an Idle server to SendResponse.)
pub(crate) const SERVER_MOVES: &[(State, Ev, State)] = &[
    (Idle, Ev::Close, Closed),
    (Idle, Ev::Response, SendBody),
    (SendResponse, Ev::Informational, SendResponse),
    (SendResponse, Ev::Response, SendBody),
    (SendResponse, Ev::AcceptUpgrade, SwitchedProtocol),
    (SendResponse, Ev::AcceptConnect, SwitchedProtocol),
    (SendBody, Ev::Data, SendBody),
    (SendBody, Ev::End, Done),
    (Done, Ev::Close, Closed),
    (MustClose, Ev::Close, Closed),
    (Closed, Ev::Close, Closed),
];

pub(crate) fn moves(role: Role, from: State, ev: Ev) -> Option<State> {
    let table = match role {
        Role::Client => CLIENT_MOVES,
        Role::Server => SERVER_MOVES,
    };
    table
        .iter()
        .find(|(f, e, _)| *f == from && *e == ev)
        .map(|(_, _, to)| *to)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Switch {
    Upgrade,
    Connect,
}

/// How the body being sent is delimited (only the sending side's matters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Writer {
    Length(u64),
    Chunked,
    NoBody,
    Nothing,
}

/// One connection's model of both sides.
#[derive(Debug, Clone)]
pub(crate) struct View {
    pub(crate) role: Role,
    pub(crate) client: State,
    pub(crate) server: State,
    pub(crate) keep_alive: bool,
    pub(crate) pending: Option<Switch>,
    /// The current request's method is HEAD / CONNECT.
    pub(crate) head: bool,
    pub(crate) connect: bool,
    pub(crate) writer: Writer,
}

impl View {
    pub(crate) fn new(role: Role) -> Self {
        Self {
            role,
            client: Idle,
            server: Idle,
            keep_alive: true,
            pending: None,
            head: false,
            connect: false,
            writer: Writer::Nothing,
        }
    }

    pub(crate) fn states(&self) -> (State, State) {
        match self.role {
            Role::Client => (self.client, self.server),
            Role::Server => (self.server, self.client),
        }
    }

    pub(crate) fn get(&self, role: Role) -> State {
        match role {
            Role::Client => self.client,
            Role::Server => self.server,
        }
    }

    /// Whether `role` may send `ev` now.
    pub(crate) fn allows(&self, role: Role, ev: Ev) -> bool {
        moves(role, self.get(role), ev).is_some()
    }

    /// Applies `ev` sent by `role`; panics if the table forbids it.
    pub(crate) fn apply(&mut self, role: Role, ev: Ev) {
        let to = moves(role, self.get(role), ev)
            .unwrap_or_else(|| panic!("{role:?} may not send {ev:?}: {self:?}"));
        match role {
            Role::Client => {
                self.client = to;
                if ev == Ev::Request && self.server == Idle {
                    self.server = SendResponse;
                }
            }
            Role::Server => {
                self.server = to;
                if ev == Ev::Response {
                    self.pending = None; // a final answer that is no switch refuses it
                }
            }
        }
        self.settle();
    }

    /// A protocol error by `role` (remote), or a failed send (local).
    pub(crate) fn error(&mut self, role: Role) {
        self.keep_alive = false;
        match role {
            Role::Client => self.client = Error,
            Role::Server => self.server = Error,
        }
        self.settle();
    }

    pub(crate) fn no_keep_alive(&mut self) {
        self.keep_alive = false;
        self.settle();
    }

    /// h11's `STATE_TRIGGERED_TRANSITIONS` plus keep-alive and switch proposals, until
    /// nothing changes.
    pub(crate) fn settle(&mut self) {
        loop {
            let before = (self.client, self.server);
            if self.pending.is_some() && self.client == Done {
                self.client = MightSwitchProtocol;
            }
            if self.pending.is_none() && self.client == MightSwitchProtocol {
                self.client = Done;
            }
            if !self.keep_alive {
                if self.client == Done {
                    self.client = MustClose;
                }
                if self.server == Done {
                    self.server = MustClose;
                }
            }
            match (self.client, self.server) {
                (MightSwitchProtocol, SwitchedProtocol) => self.client = SwitchedProtocol,
                (Closed, Done) | (Closed, Idle) | (Error, Done) => self.server = MustClose,
                (Done, Closed) | (Idle, Closed) | (Done, Error) | (Idle, Error) => {
                    self.client = MustClose
                }
                _ => {}
            }
            if before == (self.client, self.server) {
                return;
            }
        }
    }

    pub(crate) fn next_cycle_allowed(&self) -> bool {
        self.client == Done && self.server == Done
    }

    pub(crate) fn next_cycle(&mut self) {
        self.client = Idle;
        self.server = Idle;
        self.pending = None;
        self.writer = Writer::Nothing;
        (self.head, self.connect) = (false, false);
    }
}

/// The requests the client may send.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Req {
    Get,
    Head,
    PostLength(u8),
    PostChunked,
    Connect,
    Upgrade,
    /// An Upgrade request with a 2-byte body: no switch before the body was received.
    UpgradeWithBody,
    /// No Host field: always refused.
    NoHost,
}

/// The responses the server may send.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Res {
    Continue,
    /// A 1xx with a Content-Length: always refused.
    ContinueWithLength,
    Switching,
    Ok(Framing),
    NoContent(Framing),
    NotModified(Framing),
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Framing {
    None,
    Length(u8),
    Chunked,
}

/// The model's answer for a request: allowed, and the view after it.
pub(crate) fn model_request(v: &View, req: Req, close: bool) -> Option<View> {
    if matches!(req, Req::NoHost) || !v.allows(Role::Client, Ev::Request) {
        return None;
    }
    let mut v = v.clone();
    v.apply(Role::Client, Ev::Request);
    if close {
        v.no_keep_alive();
    }
    v.head = matches!(req, Req::Head);
    v.connect = matches!(req, Req::Connect);
    v.pending = match req {
        Req::Connect => Some(Switch::Connect),
        Req::Upgrade | Req::UpgradeWithBody => Some(Switch::Upgrade),
        _ => None,
    };
    v.writer = match req {
        Req::PostLength(n) => Writer::Length(n.into()),
        Req::UpgradeWithBody => Writer::Length(2),
        Req::PostChunked => Writer::Chunked,
        _ => Writer::Length(0),
    };
    v.settle();
    Some(v)
}

/// The model's answer for a response sent by the server.
pub(crate) fn model_response(v: &View, res: Res, close: bool) -> Option<View> {
    let mut v = v.clone();
    match res {
        Res::ContinueWithLength => return None,
        Res::Continue => {
            v.allows(Role::Server, Ev::Informational).then_some(())?;
            v.apply(Role::Server, Ev::Informational);
            return Some(v);
        }
        Res::Switching => {
            (v.pending == Some(Switch::Upgrade)).then_some(())?;
            v.allows(Role::Server, Ev::AcceptUpgrade).then_some(())?;
            // h11: a switch only once the request is complete.
            (v.client == MightSwitchProtocol).then_some(())?;
            v.apply(Role::Server, Ev::AcceptUpgrade);
            v.writer = Writer::Nothing;
            return Some(v);
        }
        _ => {}
    }
    let (status, framing) = match res {
        Res::Ok(f) => (200, f),
        Res::NoContent(f) => (204, f),
        Res::NotModified(f) => (304, f),
        _ => unreachable!(),
    };
    let framed = !matches!(framing, Framing::None);
    let accept = v.connect && v.pending == Some(Switch::Connect) && status < 300;
    if accept {
        if framed || !v.allows(Role::Server, Ev::AcceptConnect) || v.client != MightSwitchProtocol {
            return None;
        }
        v.apply(Role::Server, Ev::AcceptConnect);
        if close {
            v.no_keep_alive(); // as h11: any response with `close` (no matter once switched)
        }
        v.writer = Writer::Nothing;
        return Some(v);
    }
    let refused = match (status, framing) {
        (204, f) => !matches!(f, Framing::None),
        (304, Framing::Chunked) => true,
        _ => false,
    };
    if refused || !v.allows(Role::Server, Ev::Response) {
        return None;
    }
    v.apply(Role::Server, Ev::Response);
    if close || !v.keep_alive {
        v.no_keep_alive();
    }
    v.writer = match framing {
        _ if status == 204 || status == 304 || v.head => Writer::NoBody,
        Framing::Length(n) => Writer::Length(n.into()),
        _ => Writer::Chunked,
    };
    Some(v)
}

pub(crate) fn model_data(v: &View, n: u8) -> Option<View> {
    let role = v.role;
    if !v.allows(role, Ev::Data) {
        return None;
    }
    let mut v = v.clone();
    let n = u64::from(n);
    v.writer = match v.writer {
        _ if n == 0 => v.writer,
        Writer::Length(left) if n <= left => Writer::Length(left - n),
        Writer::Chunked => Writer::Chunked,
        _ => return None,
    };
    v.apply(role, Ev::Data);
    Some(v)
}

pub(crate) fn model_end(v: &View, trailers: bool) -> Option<View> {
    let role = v.role;
    let ok = match v.writer {
        Writer::Length(0) | Writer::NoBody => !trailers,
        Writer::Chunked => true,
        _ => false,
    };
    if !ok || !v.allows(role, Ev::End) {
        return None;
    }
    let mut v = v.clone();
    v.apply(role, Ev::End);
    v.writer = Writer::Nothing;
    Some(v)
}
