//! The two-party state machine: one state for the client, one for the server.
//!
//! Pure: no bytes, no headers. [`Connection`](crate::Connection) tells it which event one
//! side sent; it answers with the new states or refuses the move. The legal moves are two
//! tables you can read in one screen: [`event_transition`] (what an event does to its
//! sender's state, and a client's request to the server's) and [`ConnState::settle`]
//! (what one side's state does to the other's). This is h11's model.

/// Which side of the connection we are.
///
/// ```
/// let server = h1::Connection::new(h1::Role::Server);
/// assert_eq!(server.role(), h1::Role::Server);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// We send requests and receive responses.
    Client,
    /// We receive requests and send responses.
    Server,
}

impl Role {
    /// The other side.
    ///
    /// ```
    /// assert_eq!(h1::Role::Client.peer(), h1::Role::Server);
    /// ```
    pub fn peer(self) -> Self {
        match self {
            Self::Client => Self::Server,
            Self::Server => Self::Client,
        }
    }
}

/// The state of one side of the connection. See `docs/architecture.md` for the diagram.
///
/// ```
/// use h1::{Connection, Event, Request, Role, State};
///
/// let mut client = Connection::new(Role::Client);
/// let req = Request::new("GET", "/")?.with_header("Host", "a")?;
/// let _ = client.send_request(&req)?;
/// assert_eq!((client.our_state(), client.their_state()), (State::SendBody, State::SendResponse));
/// let _ = client.send_end()?;
/// assert_eq!(client.our_state(), State::Done);
///
/// client.receive(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")?;
/// let Event::Response(_) = client.next_event()? else { panic!() };
/// let Event::EndOfMessage(_) = client.next_event()? else { panic!() };
/// // The server said close: neither side's message can be followed by another.
/// assert_eq!((client.our_state(), client.their_state()), (State::MustClose, State::MustClose));
/// assert!(client.start_next_cycle().is_err());
/// # Ok::<(), h1::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum State {
    /// Between messages: nothing of the next one sent yet.
    Idle,
    /// Server only: a request arrived; the response head (or a 1xx) is to be sent.
    SendResponse,
    /// The head was sent; body and end of message are to come.
    SendBody,
    /// This side's message is complete; the next cycle may start.
    Done,
    /// This side's message is complete and the connection will not be reused.
    MustClose,
    /// This side closed the connection.
    Closed,
    /// Client only: the request asked for a protocol switch (Upgrade, CONNECT) and is
    /// complete; the server's answer decides.
    MightSwitchProtocol,
    /// The connection now speaks another protocol (or is a CONNECT tunnel).
    SwitchedProtocol,
    /// A protocol error happened; no more HTTP can be exchanged on this side.
    Error,
}

/// The kinds of event that move the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ev {
    Request,
    Informational,
    Response,
    Data,
    EndOfMessage,
    ConnectionClosed,
}

/// A protocol switch a client proposed with its request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Switch {
    /// `Upgrade` header; accepted by a 101.
    Upgrade,
    /// CONNECT method; accepted by a 2xx.
    Connect,
}

impl Switch {
    /// What a request proposes: a tunnel for CONNECT, else a new protocol if it has an
    /// `Upgrade` field.
    pub(crate) fn proposed(connect: bool, upgrade: bool) -> Option<Self> {
        if connect {
            Some(Self::Connect)
        } else if upgrade {
            Some(Self::Upgrade)
        } else {
            None
        }
    }
}

/// Table 1: where `event`, sent by `role`, takes that side from `state`; `accepted` is the
/// switch a server response accepts. `None`: the move is not allowed.
pub(crate) fn event_transition(
    role: Role,
    state: State,
    event: Ev,
    accepted: Option<Switch>,
) -> Option<State> {
    use Ev::*;
    use State::*;
    match (role, state, event, accepted) {
        (Role::Client, Idle, Request, _) => Some(SendBody),
        (Role::Client, SendBody, Data, _) => Some(SendBody),
        (Role::Client, SendBody, EndOfMessage, _) => Some(Done),

        (Role::Server, Idle, Response, None) => Some(SendBody), // e.g. a 400 before any request
        (Role::Server, SendResponse, Informational, None) => Some(SendResponse),
        (Role::Server, SendResponse, Informational, Some(Switch::Upgrade)) => {
            Some(SwitchedProtocol)
        }
        (Role::Server, SendResponse, Response, None) => Some(SendBody),
        (Role::Server, SendResponse, Response, Some(Switch::Connect)) => Some(SwitchedProtocol),
        (Role::Server, SendBody, Data, _) => Some(SendBody),
        (Role::Server, SendBody, EndOfMessage, _) => Some(Done),

        (_, Idle | Done | MustClose | Closed, ConnectionClosed, _) => Some(Closed),
        _ => None,
    }
}

/// Both sides' states and what they share.
#[derive(Debug, Clone)]
pub(crate) struct ConnState {
    pub(crate) client: State,
    pub(crate) server: State,
    /// False once either side said `Connection: close` (or HTTP/1.0 without keep-alive),
    /// or a message was delimited by closing the connection.
    pub(crate) keep_alive: bool,
    /// The switch the current request proposed, if any.
    pub(crate) pending_switch: Option<Switch>,
}

impl ConnState {
    pub(crate) fn new() -> Self {
        Self {
            client: State::Idle,
            server: State::Idle,
            keep_alive: true,
            pending_switch: None,
        }
    }

    pub(crate) fn get(&self, role: Role) -> State {
        match role {
            Role::Client => self.client,
            Role::Server => self.server,
        }
    }

    fn get_mut(&mut self, role: Role) -> &mut State {
        match role {
            Role::Client => &mut self.client,
            Role::Server => &mut self.server,
        }
    }

    /// The CONNECT a final response with `status` accepts: a 2xx to a CONNECT request.
    pub(crate) fn connect_accepted(&self, status: u16, connect: bool) -> Option<Switch> {
        (connect && (200..300).contains(&status) && self.pending_switch == Some(Switch::Connect))
            .then_some(Switch::Connect)
    }

    /// Can `role` send `event` now? Changes nothing.
    pub(crate) fn allows(&self, role: Role, event: Ev, accepted: Option<Switch>) -> bool {
        event_transition(role, self.get(role), event, accepted).is_some()
    }

    /// Applies `event` sent by `role`. On `Err` nothing changed.
    pub(crate) fn process(
        &mut self,
        role: Role,
        event: Ev,
        accepted: Option<Switch>,
    ) -> Result<(), State> {
        let from = self.get(role);
        let to = event_transition(role, from, event, accepted).ok_or(from)?;
        if accepted.is_some() && accepted != self.pending_switch {
            return Err(from);
        }
        *self.get_mut(role) = to;
        if role == Role::Client && event == Ev::Request && self.server == State::Idle {
            self.server = State::SendResponse;
        }
        // A final response that is not a switch refuses any proposal.
        if role == Role::Server && event == Ev::Response && accepted.is_none() {
            self.pending_switch = None;
        }
        self.settle();
        Ok(())
    }

    /// `role` stops the message it is sending, or will send none: nothing more of it
    /// crosses, so the connection cannot be reused. Its side becomes `MustClose` (a side
    /// already closed, switched or in error stays so), and an aborted request switches no
    /// protocol.
    pub(crate) fn abort(&mut self, role: Role) {
        self.keep_alive = false;
        let state = self.get_mut(role);
        if matches!(
            *state,
            State::Idle | State::SendResponse | State::SendBody | State::Done
        ) {
            *state = State::MustClose;
        }
        if role == Role::Client {
            self.pending_switch = None;
        }
        self.settle();
    }

    /// Puts `role` into `Error` (a protocol error by that side, or a failed send).
    pub(crate) fn error(&mut self, role: Role) {
        *self.get_mut(role) = State::Error;
        self.settle();
    }

    /// Table 2: the moves one side's state forces on the other, applied until none applies.
    fn settle(&mut self) {
        use State::*;
        loop {
            let before = (self.client, self.server);
            // A proposed switch first: the server's answer decides, and keep-alive does
            // not matter if it switches (h11's order).
            match (self.pending_switch, self.client) {
                (Some(_), Done) => self.client = MightSwitchProtocol,
                (None, MightSwitchProtocol) => self.client = Done,
                _ => {}
            }
            if !self.keep_alive {
                for s in [&mut self.client, &mut self.server] {
                    if *s == Done {
                        *s = MustClose;
                    }
                }
            }
            match (self.client, self.server) {
                (MightSwitchProtocol, SwitchedProtocol) => self.client = SwitchedProtocol,
                // A server may still answer (say 400) a client in Error, so only Done
                // is forced; a closed client can get no answer at all.
                (Closed, Done | Idle) | (Error, Done) => self.server = MustClose,
                (Done | Idle, Closed) | (Done | Idle, Error) => self.client = MustClose,
                _ => {}
            }
            if before == (self.client, self.server) {
                return;
            }
        }
    }

    /// Both sides done with a reusable connection: back to `Idle`.
    pub(crate) fn start_next_cycle(&mut self) -> bool {
        if self.client == State::Done && self.server == State::Done {
            self.client = State::Idle;
            self.server = State::Idle;
            self.pending_switch = None;
            true
        } else {
            false
        }
    }

    pub(crate) fn no_keep_alive(&mut self) {
        self.keep_alive = false;
        self.settle();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ev::*;
    use State::*;

    #[test]
    fn simple_cycle() {
        let mut s = ConnState::new();
        s.process(Role::Client, Request, None).unwrap();
        assert_eq!((s.client, s.server), (SendBody, SendResponse));
        s.process(Role::Client, EndOfMessage, None).unwrap();
        s.process(Role::Server, Informational, None).unwrap();
        s.process(Role::Server, Response, None).unwrap();
        s.process(Role::Server, Data, None).unwrap();
        s.process(Role::Server, EndOfMessage, None).unwrap();
        assert_eq!((s.client, s.server), (Done, Done));
        assert!(s.start_next_cycle());
        assert_eq!((s.client, s.server), (Idle, Idle));
    }

    #[test]
    fn refused_moves_change_nothing() {
        let mut s = ConnState::new();
        assert_eq!(s.process(Role::Client, Data, None), Err(Idle));
        assert_eq!(s.process(Role::Server, Informational, None), Err(Idle));
        assert_eq!((s.client, s.server), (Idle, Idle));
        assert!(!s.start_next_cycle());
    }

    #[test]
    fn keep_alive_off_means_must_close() {
        let mut s = ConnState::new();
        s.process(Role::Client, Request, None).unwrap();
        s.no_keep_alive();
        s.process(Role::Client, EndOfMessage, None).unwrap();
        assert_eq!(s.client, MustClose);
        s.process(Role::Server, Response, None).unwrap();
        s.process(Role::Server, EndOfMessage, None).unwrap();
        assert_eq!(s.server, MustClose);
        assert!(!s.start_next_cycle());
        s.process(Role::Server, ConnectionClosed, None).unwrap();
        assert_eq!(s.server, Closed);
    }

    #[test]
    fn upgrade_accepted_and_refused() {
        let mut s = ConnState::new();
        s.process(Role::Client, Request, None).unwrap();
        s.pending_switch = Some(Switch::Upgrade);
        s.process(Role::Client, EndOfMessage, None).unwrap();
        assert_eq!(s.client, MightSwitchProtocol);
        // a CONNECT-style acceptance does not match an Upgrade proposal
        assert!(s
            .process(Role::Server, Response, Some(Switch::Connect))
            .is_err());
        s.process(Role::Server, Informational, Some(Switch::Upgrade))
            .unwrap();
        assert_eq!((s.client, s.server), (SwitchedProtocol, SwitchedProtocol));

        let mut s = ConnState::new();
        s.process(Role::Client, Request, None).unwrap();
        s.pending_switch = Some(Switch::Connect);
        s.process(Role::Client, EndOfMessage, None).unwrap();
        s.process(Role::Server, Response, None).unwrap(); // a refusal, e.g. 407
        assert_eq!((s.client, s.server), (Done, SendBody));
    }

    #[test]
    fn a_pending_switch_wins_over_keep_alive_off() {
        let mut s = ConnState::new();
        s.process(Role::Client, Request, None).unwrap();
        s.pending_switch = Some(Switch::Upgrade);
        s.no_keep_alive();
        s.process(Role::Client, EndOfMessage, None).unwrap();
        assert_eq!(s.client, MightSwitchProtocol);
        // Refused: back to Done, and then MustClose since keep-alive is off.
        s.process(Role::Server, Response, None).unwrap();
        assert_eq!(s.client, MustClose);
    }

    #[test]
    fn an_aborted_request_ends_the_client_side_and_switches_nothing() {
        let mut s = ConnState::new();
        s.process(Role::Client, Request, None).unwrap();
        s.pending_switch = Some(Switch::Upgrade);
        s.abort(Role::Client);
        assert_eq!((s.client, s.server), (MustClose, SendResponse));
        assert_eq!(s.pending_switch, None);
        // The server still answers; the connection closes after.
        s.process(Role::Server, Response, None).unwrap();
        s.process(Role::Server, EndOfMessage, None).unwrap();
        assert_eq!(s.server, MustClose);
        s.process(Role::Client, ConnectionClosed, None).unwrap();
        assert_eq!(s.client, Closed);
    }

    #[test]
    fn closing_forces_the_other_side() {
        let mut s = ConnState::new();
        s.process(Role::Client, ConnectionClosed, None).unwrap();
        assert_eq!((s.client, s.server), (Closed, MustClose));
        let mut s = ConnState::new();
        s.error(Role::Server);
        assert_eq!((s.client, s.server), (MustClose, Error));
        let mut s = ConnState::new();
        s.error(Role::Client);
        assert_eq!((s.client, s.server), (Error, Idle));
        s.process(Role::Server, Response, None).unwrap();
        s.process(Role::Server, EndOfMessage, None).unwrap();
        assert_eq!(s.server, MustClose);
    }
}
