package store

// The change feed: every committed change of the value store reaches the
// subscribers of every dxtrack instance on the same database, in commit
// order, so that in-memory analytics stay fresh without a rebuild.
//
// In one process, a transaction that changes values commits while holding
// feed.commitMu and queues its values before letting go, so the queue
// holds changes in commit order; a dispatcher goroutine hands each batch
// to the subscribers. On PostgreSQL the transaction also sends
// pg_notify('dxtrack_values', {schema, instance, ids}) — the row IDs of the
// changed values, since a payload is limited to 8000 bytes — which
// PostgreSQL delivers at commit, in commit order, to every listening
// session. Each instance listens on a dedicated connection, skips its own
// notifications (its subscribers had them locally) and those of other
// schemas, reloads the values by ID and queues them, also under commitMu:
// the reload then reads either before or after any local commit, never
// between a local commit and its queueing, so a subscriber's last word on
// a value is the stored one.

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dxtrack/dxtrack"
)

// feedChannel is the PostgreSQL notification channel of value changes.
const feedChannel = "dxtrack_values"

// notifyIDBytes bounds the ID list of one notification, keeping its
// payload well under PostgreSQL's 8000-byte limit.
const notifyIDBytes = 7000

type subscriber struct {
	id int
	fn func([]dxtrack.Value)
}

type feed struct {
	instance string // tells this instance's notifications from others'

	// commitMu orders commits that change values with their queueing.
	commitMu sync.Mutex

	mu        sync.Mutex
	wake      *sync.Cond // signals a queued batch or closing, on mu
	subs      []subscriber
	nextSub   int
	queue     [][]dxtrack.Value
	started   bool // dispatcher (and, on PostgreSQL, listener) running
	closed    bool
	stop      context.CancelFunc // stops the listener
	listening chan struct{}      // closed after the listener's first attempt
	done      sync.WaitGroup
}

func newFeed() *feed {
	f := &feed{instance: rand.Text()}
	f.wake = sync.NewCond(&f.mu)
	return f
}

// published collects the values a transaction changes, with their row
// IDs for the notification.
type published struct {
	values []dxtrack.Value
	ids    []int64
}

func (p *published) add(id int64, v dxtrack.Value) {
	p.ids = append(p.ids, id)
	p.values = append(p.values, v)
}

// Subscribe registers fn to receive every committed change of the value
// store from now on, in commit order, including changes made by other
// dxtrack instances on the same PostgreSQL database. Batches are delivered
// from one goroutine, one at a time, after the commit; fn must not modify
// them, and a slow fn delays later batches (they queue up in memory). On
// PostgreSQL, Subscribe returns once the store listens for other
// instances' changes (or its first attempt to connect failed; it then
// retries in the background): a caller that subscribes before loading the
// values misses nothing. Changes made by other instances while the
// listening connection is down are not replayed. cancel stops the
// deliveries to fn; a batch already being delivered may still reach it.
func (db *DB) Subscribe(fn func([]dxtrack.Value)) (cancel func()) {
	f := db.feed
	f.mu.Lock()
	id := f.nextSub
	f.nextSub++
	f.subs = append(f.subs, subscriber{id, fn})
	start := !f.started && !f.closed
	if start {
		f.started = true
		f.done.Add(1)
		go f.dispatch()
		if db.engine == EnginePostgres {
			ctx, stop := context.WithCancel(context.Background())
			f.stop, f.listening = stop, make(chan struct{})
			f.done.Add(1)
			go db.listen(ctx)
		}
	}
	listening := f.listening
	f.mu.Unlock()
	if listening != nil {
		<-listening
	}
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.subs = slices.DeleteFunc(f.subs, func(s subscriber) bool { return s.id == id })
	}
}

// enqueue queues a batch for the subscribers, if there are any; the
// caller holds commitMu.
func (f *feed) enqueue(vs []dxtrack.Value) {
	if len(vs) == 0 {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.subs) == 0 || f.closed {
		return
	}
	f.queue = append(f.queue, vs)
	f.wake.Signal()
}

// dispatch delivers queued batches until the feed closes.
func (f *feed) dispatch() {
	defer f.done.Done()
	for {
		f.mu.Lock()
		for len(f.queue) == 0 && !f.closed {
			f.wake.Wait()
		}
		if f.closed {
			f.mu.Unlock()
			return
		}
		batch := f.queue[0]
		f.queue[0] = nil
		f.queue = f.queue[1:]
		subs := slices.Clone(f.subs)
		f.mu.Unlock()
		for _, s := range subs {
			s.fn(batch)
		}
	}
}

// close stops the dispatcher and the listener and waits for them.
func (f *feed) close() {
	f.mu.Lock()
	f.closed = true
	f.queue = nil
	if f.stop != nil {
		f.stop()
	}
	f.wake.Broadcast()
	f.mu.Unlock()
	f.done.Wait()
}

// writeFeed is write for transactions that change values: fn records the
// changed values in pub; on PostgreSQL they are announced to the other
// instances, and after the commit they are queued for the subscribers.
func (db *DB) writeFeed(ctx context.Context, fn func(tx *sql.Tx, pub *published) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	var pub published
	if err := fn(tx, &pub); err != nil {
		tx.Rollback()
		return err
	}
	if len(pub.values) == 0 {
		return tx.Commit()
	}
	if db.engine == EnginePostgres {
		if err := db.notify(ctx, tx, pub.ids); err != nil {
			tx.Rollback()
			return err
		}
	}
	db.feed.commitMu.Lock()
	defer db.feed.commitMu.Unlock()
	if err := tx.Commit(); err != nil {
		return err
	}
	db.feed.enqueue(pub.values)
	return nil
}

// Publish queues values for this instance's subscribers without writing
// them: for figures ahead of the store, derived from what is durable but
// not yet applied (the ingestion pipeline's machine values, from batches
// committed to the batch log). The transaction that later stores them
// sends them again, as stored, to every instance. Values published
// around a commit that changes them reach subscribers on the same side of
// it as the caller saw.
func (db *DB) Publish(vs []dxtrack.Value) {
	db.feed.commitMu.Lock()
	defer db.feed.commitMu.Unlock()
	db.feed.enqueue(vs)
}

// notice is the payload of a notification.
type notice struct {
	Schema   string  `json:"schema"`
	Instance string  `json:"instance"`
	IDs      []int64 `json:"ids"`
}

// notify announces changed value rows in the transaction; PostgreSQL
// sends the notifications when it commits. The schema tells stores that
// share a database but not a schema (the tests) apart.
func (db *DB) notify(ctx context.Context, tx *sql.Tx, ids []int64) error {
	send := func(list []byte) error {
		_, err := tx.ExecContext(ctx, `SELECT pg_notify($1, json_build_object('schema', current_schema(),
			'instance', $2::text, 'ids', $3::text::json)::text)`, feedChannel, db.feed.instance, string(list)+"]")
		return err
	}
	list := []byte{'['}
	for _, id := range ids {
		if len(list) > notifyIDBytes {
			if err := send(list); err != nil {
				return err
			}
			list = list[:1]
		}
		if len(list) > 1 {
			list = append(list, ',')
		}
		list = strconv.AppendInt(list, id, 10)
	}
	return send(list)
}

// listen receives other instances' notifications on a dedicated
// connection until ctx ends, reconnecting with a growing pause when the
// connection fails.
func (db *DB) listen(ctx context.Context) {
	f := db.feed
	defer f.done.Done()
	const minPause, maxPause = 100 * time.Millisecond, 30 * time.Second
	pause := minPause
	first := true
	defer func() {
		if first { // closed before the first attempt: release Subscribe
			close(f.listening)
		}
	}()
	for ctx.Err() == nil {
		conn, schema, err := db.listenConn(ctx)
		if first {
			close(f.listening)
			first = false
		}
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			slog.Warn("store: change feed: cannot listen", "err", err, "retry_in", pause)
			select {
			case <-ctx.Done():
				return
			case <-time.After(pause):
			}
			pause = min(2*pause, maxPause)
			continue
		}
		pause = minPause
		err = db.receive(ctx, conn, schema)
		conn.Close(context.Background())
		if ctx.Err() == nil {
			slog.Warn("store: change feed: listening connection lost; changes until it is back are missed", "err", err)
		}
	}
}

// listenConn opens a connection that listens on the feed's channel and
// returns it with its schema.
func (db *DB) listenConn(ctx context.Context) (*pgx.Conn, string, error) {
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(cctx, db.dsn)
	if err != nil {
		return nil, "", err
	}
	var schema string
	if err := conn.QueryRow(cctx, "SELECT current_schema()").Scan(&schema); err != nil {
		conn.Close(context.Background())
		return nil, "", err
	}
	if _, err := conn.Exec(cctx, "LISTEN "+feedChannel); err != nil {
		conn.Close(context.Background())
		return nil, "", err
	}
	return conn, schema, nil
}

// receive handles notifications until the connection fails or ctx ends.
func (db *DB) receive(ctx context.Context, conn *pgx.Conn, schema string) error {
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		var msg notice
		if err := json.Unmarshal([]byte(n.Payload), &msg); err != nil {
			slog.Warn("store: change feed: unreadable notification", "payload", n.Payload, "err", err)
			continue
		}
		if msg.Schema != schema || msg.Instance == db.feed.instance {
			continue
		}
		if err := db.deliverRemote(ctx, msg.IDs); err != nil && ctx.Err() == nil {
			slog.Error("store: change feed: cannot reload changed values", "err", err)
		}
	}
}

// deliverRemote reloads values another instance changed and queues them.
func (db *DB) deliverRemote(ctx context.Context, ids []int64) error {
	db.feed.commitMu.Lock()
	defer db.feed.commitMu.Unlock()
	vs, err := db.valuesByID(ctx, db.r, ids)
	if err != nil {
		return err
	}
	db.feed.enqueue(vs)
	return nil
}
