package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// Vietnam is the time zone the job reads the day in: a reminder "on the
// deadline" goes out on that day in Vietnam, whatever the server's zone.
var Vietnam = time.FixedZone("ICT", 7*3600)

// FirstHour is the hour of the day (in the job's zone) from which messages
// go out, so that nobody is woken by a reminder sent at midnight.
const FirstHour = 7

// Job sends the reminders and the weekly digest that are due. Each message
// is claimed in the store before it goes out, so reruns, restarts and
// several instances on one database send it once; a failed send releases
// its claim and the next run retries it.
type Job struct {
	Regimes dxtrack.RegimeService
	Reports dxtrack.ReportService
	Store   dxtrack.ReminderStore
	Sender  *Sender
	BaseURL string // the web UI's address, for links; "" leaves them out
	Lang    string // language of the messages: "vi" (default) or "en"
	Logger  *slog.Logger
	// Location is the zone the day is read in; nil means Vietnam.
	Location *time.Location
}

// RunOnce sends what is due at now: for every active regime, the reminders
// of its current and previous period, and on dxtrack.DigestDay the digest
// to every leader; before FirstHour it sends nothing. It goes on after a
// failure and returns the number of messages sent with every error met.
func (j *Job) RunOnce(ctx context.Context, now time.Time) (sent int, err error) {
	ctx = dxtrack.NewContextWithUser(ctx, dxtrack.SystemUser)
	loc := j.Location
	if loc == nil {
		loc = Vietnam
	}
	now = now.In(loc)
	if now.Hour() < FirstHour {
		return 0, nil
	}
	p := locale.For(j.Lang)
	log := j.logger()

	active := true
	regimes, err := j.Regimes.FindRegimes(ctx, dxtrack.RegimeFilter{Active: &active})
	if err != nil {
		return 0, fmt.Errorf("mail: find regimes: %w", err)
	}
	var errs []error
	var latest []*dxtrack.Completeness // each regime's last closed period, for the digest
	for _, rg := range regimes {
		cur := dxtrack.PeriodOn(rg.Freq, now)
		for _, per := range []dxtrack.Period{cur, cur.Prev()} {
			c, err := j.Reports.Completeness(ctx, rg.ID, per)
			if err != nil {
				errs = append(errs, fmt.Errorf("mail: completeness of %s %s: %w", rg.Code, per.Key(), err))
				continue
			}
			if per != cur {
				latest = append(latest, c)
			}
			n, err := j.remind(ctx, p, c, now)
			sent += n
			if err != nil {
				errs = append(errs, err)
			}
		}
	}
	if now.Weekday() == dxtrack.DigestDay {
		n, err := j.digest(ctx, p, latest, now)
		sent += n
		if err != nil {
			errs = append(errs, err)
		}
	}
	if sent > 0 || len(errs) > 0 {
		log.Info("reminders", "sent", sent, "errors", len(errs))
	}
	return sent, errors.Join(errs...)
}

// remind sends the reminders due for one regime's period.
func (j *Job) remind(ctx context.Context, p *locale.Printer, c *dxtrack.Completeness, now time.Time) (int, error) {
	lines := map[int64]dxtrack.UnitCompleteness{}
	var ids []int64
	for _, line := range c.NotReported() {
		lines[line.Unit.ID] = line
		ids = append(ids, line.Unit.ID)
	}
	if len(ids) == 0 {
		return 0, nil
	}
	contacts, err := j.Store.Contacts(ctx, ids)
	if err != nil {
		return 0, fmt.Errorf("mail: contacts for %s %s: %w", c.Regime.Code, c.Period.Key(), err)
	}
	sent := 0
	var errs []error
	for _, r := range dxtrack.PlanReminders(c, contacts, now) {
		msg, err := reminderMessage(p, j.BaseURL, c, lines[r.UnitID], r, now)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ok, err := j.send(ctx, r.Key, msg, now)
		if err != nil {
			errs = append(errs, err)
		} else if ok {
			sent++
		}
	}
	return sent, errors.Join(errs...)
}

// digest sends the week's digest to each leader not yet sent it.
func (j *Job) digest(ctx context.Context, p *locale.Printer, periods []*dxtrack.Completeness, now time.Time) (int, error) {
	leaders, err := j.Store.LeaderEmails(ctx)
	if err != nil {
		return 0, fmt.Errorf("mail: leader addresses: %w", err)
	}
	sent := 0
	var errs []error
	for _, to := range leaders {
		msg, err := digestMessage(p, j.BaseURL, periods, to, now)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ok, err := j.send(ctx, dxtrack.DigestKey(to, now), msg, now)
		if err != nil {
			errs = append(errs, err)
		} else if ok {
			sent++
		}
	}
	return sent, errors.Join(errs...)
}

// send claims key and sends msg, releasing the claim when sending fails.
// It reports false when the message went out before.
func (j *Job) send(ctx context.Context, key string, msg Message, now time.Time) (bool, error) {
	claimed, err := j.Store.ClaimReminder(ctx, key, now)
	if err != nil {
		return false, fmt.Errorf("mail: claim %s: %w", key, err)
	}
	if !claimed {
		return false, nil
	}
	if err := j.Sender.Send(ctx, msg); err != nil {
		// The release must happen even when ctx was cancelled mid-send.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if rerr := j.Store.ReleaseReminder(rctx, key); rerr != nil {
			return false, errors.Join(err, fmt.Errorf("mail: release %s: %w", key, rerr))
		}
		return false, err
	}
	j.logger().Debug("reminder sent", "key", key, "to", msg.To, "cc", msg.Cc)
	return true, nil
}

// Run calls RunOnce at once and then every interval until ctx ends,
// logging what each run sent and any error.
func (j *Job) Run(ctx context.Context, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		if _, err := j.RunOnce(ctx, time.Now()); err != nil && ctx.Err() == nil {
			j.logger().Error("reminders", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func (j *Job) logger() *slog.Logger {
	if j.Logger != nil {
		return j.Logger
	}
	return slog.New(slog.DiscardHandler)
}
