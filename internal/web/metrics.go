package web

import (
	"crypto/subtle"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"

	"tinnhiem/internal/apperr"
)

type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tinnhiem_http_requests_total", Help: "HTTP requests by method, route template and status (casting excluded).",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "tinnhiem_http_request_duration_seconds", Help: "HTTP request latency by method and route template (casting excluded).",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"method", "route"}),
	}
	// The process collector's network counters step with every request, a cast included: sampled
	// often, they would show when each ballot was cast. They are left out (quietGatherer).
	reg.MustRegister(m.requests, m.duration, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// quietGatherer drops the metric families that move with a single cast.
type quietGatherer struct{ prometheus.Gatherer }

// castRevealing are the families a single cast moves visibly (bytes on the wire).
var castRevealing = []string{"process_network_receive_bytes_total", "process_network_transmit_bytes_total"}

func (g quietGatherer) Gather() ([]*dto.MetricFamily, error) {
	fams, err := g.Gatherer.Gather()
	out := fams[:0]
	for _, f := range fams {
		if !slices.Contains(castRevealing, f.GetName()) {
			out = append(out, f)
		}
	}
	return out, err
}

func (m *metrics) observe(method, route string, status int, d time.Duration) {
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(method, route).Observe(d.Seconds())
}

// MetricsHandler serves the metrics on their own listener (TINNHIEM_METRICS_ADDR, loopback by
// default, as Prometheus exporters do): no token there.
func (s *Server) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(quietGatherer{s.metrics.reg}, promhttp.HandlerOpts{})
}

// metricsHandler serves the metrics on the public address only to a bearer of TINNHIEM_METRICS_TOKEN;
// without a token configured, the public address has no metrics at all (404).
func (s *Server) metricsHandler(public bool) fiber.Handler {
	h := adaptor.HTTPHandler(s.MetricsHandler())
	return func(c *fiber.Ctx) error {
		if public && s.cfg.MetricsToken == "" {
			return fiber.ErrNotFound
		}
		if s.cfg.MetricsToken != "" {
			got := []byte(c.Get(fiber.HeaderAuthorization))
			want := []byte("Bearer " + s.cfg.MetricsToken)
			if subtle.ConstantTimeCompare(got, want) != 1 {
				return apperr.New(apperr.Unauthenticated, "metrics_forbidden")
			}
		}
		return h(c)
	}
}
