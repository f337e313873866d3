package push

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"zhaoshang/modules/core"
)

// Webhook headers. The signature is HMAC-SHA256 of the raw body with the
// unit's secret; the body carries the same timestamp as the header, so a
// receiver that checks the signature and refuses old timestamps (say, more
// than 5 minutes) is safe from replays. Delivery ids let it drop retries it
// has already processed.
const (
	SignatureHeader = "X-Zhaoshang-Signature"
	TimestampHeader = "X-Zhaoshang-Timestamp"
	DeliveryHeader  = "X-Zhaoshang-Delivery"
)

// Payload is the JSON body of one webhook delivery.
type Payload struct {
	Delivery  string `json:"delivery"`
	Timestamp int64  `json:"timestamp"`
	Unit      string `json:"unit"`
	UnitName  string `json:"unit_name"`
	Item      Item   `json:"item"`
	Path      string `json:"path"` // the record's page on this site
}

// Sign returns the signature header value of body: "sha256=<hex>".
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify checks a signature header value against body.
func Verify(secret string, body []byte, sig string) bool {
	return hmac.Equal([]byte(Sign(secret, body)), []byte(sig))
}

// SetWebhook sets a unit's webhook: managers of the unit (scope) and admins.
func (s *Service) SetWebhook(ctx context.Context, a core.Actor, role string, scope core.Scope, unit, rawURL, secret string) (*UnitState, error) {
	if role != "manager" && role != "admin" {
		return nil, fmt.Errorf("push: webhook by %s: %w", role, core.ErrForbidden)
	}
	if err := s.checkUnit(scope, unit); err != nil {
		return nil, err
	}
	rawURL, secret = strings.TrimSpace(rawURL), strings.TrimSpace(secret)
	u, err := url.Parse(rawURL)
	switch {
	case rawURL == "" || err != nil || u.Host == "" || u.User != nil:
		return nil, core.Invalid("url", "请填写完整的网址，如 https://example.com/hook")
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, core.Invalid("url", "只支持 http 或 https 网址")
	case len(rawURL) > 500:
		return nil, core.Invalid("url", "网址过长（最多 500 字符）")
	case utf8.RuneCountInString(secret) < 16 || len(secret) > 200:
		return nil, core.Invalid("secret", "签名密钥须为 16–200 个字符")
	}
	st, err := mutate(ctx, s.st.units, unit, func(st *UnitState) error {
		st.Webhook = &Webhook{URL: rawURL, Secret: secret, By: a.User, At: s.now()}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.audit(ctx, a, "webhook_set", UnitsCollection, unit, rawURL)
	return st, nil
}

// DeleteWebhook removes a unit's webhook (same rule as SetWebhook).
func (s *Service) DeleteWebhook(ctx context.Context, a core.Actor, role string, scope core.Scope, unit string) error {
	if role != "manager" && role != "admin" {
		return fmt.Errorf("push: webhook by %s: %w", role, core.ErrForbidden)
	}
	if err := s.checkUnit(scope, unit); err != nil {
		return err
	}
	_, err := mutate(ctx, s.st.units, unit, func(st *UnitState) error {
		st.Webhook = nil
		return nil
	})
	if err == nil {
		s.audit(ctx, a, "webhook_delete", UnitsCollection, unit, "")
	}
	return err
}

func webhookClient() *http.Client {
	return &http.Client{Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// deliverAsync posts items to the unit's webhook, if it has one, in the
// background; the outcome of the last one is kept on the unit.
func (s *Service) deliverAsync(unit string, items []Item) {
	s.deliveries.Add(1)
	go func() {
		defer s.deliveries.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		st, err := s.st.units.Get(ctx, unit)
		if err != nil || st.Webhook == nil {
			return
		}
		for _, it := range items {
			d := s.deliver(ctx, *st.Webhook, unit, it)
			if _, err := mutate(ctx, s.st.units, unit, func(u *UnitState) error {
				u.LastDelivery = &d
				return nil
			}); err != nil {
				s.Log.Warn("push: record webhook delivery", "unit", unit, "err", err)
			}
		}
	}()
}

// deliver posts one item, retrying after RetryDelays on failure.
func (s *Service) deliver(ctx context.Context, w Webhook, unit string, it Item) Delivery {
	d := Delivery{Seq: it.Seq}
	id := core.NewID()
	for attempt := 0; attempt <= len(s.RetryDelays); attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				d.Error = ctx.Err().Error()
				return d
			case <-time.After(s.RetryDelays[attempt-1]):
			}
		}
		d.Attempts, d.At = attempt+1, s.now()
		now := s.Now()
		body, err := json.Marshal(Payload{Delivery: id, Timestamp: now.Unix(), Unit: unit, UnitName: s.Units.Name(unit),
			Item: it, Path: RecordPath(it.Kind, it.RecordID)})
		if err != nil {
			d.Error = err.Error()
			return d
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
		if err != nil {
			d.Error = err.Error()
			return d
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "zhaoshang-webhook/1")
		req.Header.Set(TimestampHeader, strconv.FormatInt(now.Unix(), 10))
		req.Header.Set(DeliveryHeader, id)
		req.Header.Set(SignatureHeader, Sign(w.Secret, body))
		resp, err := s.Client.Do(req)
		if err != nil {
			d.Status, d.Error = 0, err.Error()
			continue
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		d.Status = resp.StatusCode
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			d.OK, d.Error = true, ""
			return d
		}
		d.Error = "HTTP " + strconv.Itoa(resp.StatusCode)
	}
	return d
}

// RecordPath is the page of a resource.
func RecordPath(kind, id string) string { return "/resources/" + kind + "/" + id }
