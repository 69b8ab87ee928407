//! The current request/response cycle, and the one place a head changes the connection.
//!
//! A request or response head means the same things whether we send it or receive it: for
//! keep-alive, the method a response answers, a proposed protocol switch and
//! 100-continue. Each direction works out the facts of its head ([`RequestHead`],
//! [`ResponseHead`]) with its own checks and error family, and hands them to
//! [`Connection::request_head`] or [`Connection::response_head`]: as h11's
//! `_process_event` is the one place events change state.

use super::Connection;
use crate::framing::{Framing, MethodKind};
use crate::state::{Ev, Role, State, Switch};

/// What the heads of the current cycle decided; `start_next_cycle` starts it afresh.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Cycle {
    /// The method of the request (sent as a client, received as a server).
    pub(crate) method: MethodKind,
    /// The request carried `Expect: 100-continue` and nothing answered it yet: no
    /// response head and no body byte crossed.
    pub(crate) expects_continue: bool,
    /// An informational (1xx) response crossed.
    pub(crate) informational_seen: bool,
    /// The framing of the body of the message received last (from its head on).
    pub(crate) incoming: Option<Framing>,
}

impl Cycle {
    /// Body bytes crossed (or the body ended): no client waits for `100 Continue` any
    /// more.
    #[inline(always)]
    pub(crate) fn body_crossed(&mut self) {
        self.expects_continue = false;
    }
}

/// What a request head means for its cycle.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RequestHead {
    pub(crate) method: MethodKind,
    /// The client lets the connection be reused (no `Connection: close`; HTTP/1.0 only
    /// with keep-alive).
    pub(crate) keep_alive: bool,
    /// It proposes a new protocol (`Upgrade`, HTTP/1.1 only).
    pub(crate) upgrade: bool,
    /// It waits for `100 Continue` before its body.
    pub(crate) expects_continue: bool,
}

/// What a response head means for its cycle.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ResponseHead {
    /// `Informational` for a 1xx, else `Response`.
    pub(crate) event: Ev,
    /// The switch it accepts: a 101 an Upgrade, a 2xx a CONNECT.
    pub(crate) accepted: Option<Switch>,
    /// The connection closes after it.
    pub(crate) close: bool,
}

/// The switch an informational response with `status` accepts: a 101 an Upgrade.
pub(crate) fn informational_accepts(status: u16) -> Option<Switch> {
    (status == 101).then_some(Switch::Upgrade)
}

/// Whether a 1xx with `status` may answer a request that proposed `proposed`: a 101 only
/// switches to a protocol the request asked for (RFC 9110 §15.2.2).
pub(crate) fn informational_fits(status: u16, proposed: Option<Switch>) -> bool {
    status != 101 || proposed == Some(Switch::Upgrade)
}

impl Connection {
    /// A request head crossed, sent by us (client) or received (server). On `Err` the
    /// state machine refused it and nothing changed.
    #[inline(always)]
    pub(super) fn request_head(&mut self, head: RequestHead) -> Result<(), State> {
        self.state.process(Role::Client, Ev::Request, None)?;
        if !head.keep_alive {
            self.state.no_keep_alive();
        }
        self.cycle.method = head.method;
        self.cycle.expects_continue = head.expects_continue;
        self.state.pending_switch =
            Switch::proposed(head.method == MethodKind::Connect, head.upgrade);
        Ok(())
    }

    /// A response head crossed, informational or final, sent by us (server) or received
    /// (client). On `Err` the state machine refused it and nothing changed.
    #[inline(always)]
    pub(super) fn response_head(&mut self, head: ResponseHead) -> Result<(), State> {
        self.state
            .process(Role::Server, head.event, head.accepted)?;
        if head.close {
            self.state.no_keep_alive();
        }
        self.cycle.expects_continue = false;
        if head.event == Ev::Informational {
            self.cycle.informational_seen = true;
        }
        Ok(())
    }
}
