package web

import (
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// trustedProxies parses TINNHIEM_TRUSTED_PROXIES (addresses or CIDRs; the configuration checked them).
func trustedProxies(list []string) []netip.Prefix {
	var out []netip.Prefix
	for _, p := range list {
		if pre, err := netip.ParsePrefix(p); err == nil {
			out = append(out, pre.Masked())
		} else if a, err := netip.ParseAddr(p); err == nil {
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
		}
	}
	return out
}

func (s *Server) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range s.proxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientIP is the client's address. Without a proxy header it is the socket's peer. Behind trusted
// reverse proxies, the header's chain is walked from the right (each proxy appends the address it
// received from) and the first address that is not a trusted proxy is the client: everything to its
// left was written by the client itself and is never believed. An entry that is not an IP address
// stops the walk at the last trusted hop.
func (s *Server) clientIP(c *fiber.Ctx) string {
	peer, err := netip.ParseAddr(c.Context().RemoteIP().String())
	if err != nil {
		return c.Context().RemoteIP().String()
	}
	peer = peer.Unmap()
	if s.cfg.ProxyHeader == "" || !s.trusted(peer) {
		return peer.String()
	}
	client := peer
	hops := strings.Split(c.Get(s.cfg.ProxyHeader), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		client = a.Unmap()
		if !s.trusted(client) {
			break
		}
	}
	return client.String()
}
