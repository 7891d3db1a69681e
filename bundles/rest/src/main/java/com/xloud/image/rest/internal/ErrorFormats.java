package com.xloud.image.rest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Glance's error bodies as its web framework (webob) writes them, in the representation the
 * request's {@code Accept} asks for: HTML for {@code text/html} and {@code *}{@code /*} (what
 * python-glanceclient and Horizon get, and parse), JSON {@code {"message", "code", "title"}} for
 * {@code application/json} (openstacksdk), plain text when {@code Accept} is absent or names
 * neither. Both are offered in that order, so a tie between them is HTML, as in webob.
 */
final class ErrorFormats {
    /** A rendered error: its Content-Type and body. */
    record Rendered(String contentType, byte[] body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> OFFERS = List.of("text/html", "application/json");
    private static final Pattern BR = Pattern.compile("<br.*?>", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern TAG = Pattern.compile("<.*?>", Pattern.DOTALL);

    private ErrorFormats() {
    }

    static Rendered render(String accept, int status, String title, String message) {
        String text = ErrorBody.wellFormed(message == null || message.isBlank() ? title : message);
        String statusLine = status + " " + title;
        return switch (negotiate(accept)) {
            case "text/html" -> new Rendered("text/html; charset=UTF-8", ("<html>\n <head>\n  <title>" + statusLine
                    + "</title>\n </head>\n <body>\n  <h1>" + statusLine + "</h1>\n  " + html(text)
                    + "<br /><br />\n\n\n\n </body>\n</html>").getBytes(StandardCharsets.UTF_8));
            case "application/json" -> new Rendered("application/json", json(text, statusLine, title));
            default -> new Rendered("text/plain; charset=UTF-8", (statusLine + "\n\n" + plain(text) + "\n\n   ")
                    .getBytes(StandardCharsets.UTF_8));
        };
    }

    /** text/html, application/json, or text/plain when the request accepts neither. */
    static String negotiate(String accept) {
        return bestOffer(accept, OFFERS, "text/plain");
    }

    /**
     * The first of {@code offers} with the highest quality in {@code accept} (webob's
     * acceptable_offers), or {@code fallback} when none is acceptable or there is no Accept.
     */
    static String bestOffer(String accept, List<String> offers, String fallback) {
        if (accept == null || accept.isBlank()) {
            return fallback;
        }
        List<String[]> ranges = new ArrayList<>();
        for (String part : accept.split(",")) {
            String[] params = part.trim().split(";");
            String range = params[0].trim().toLowerCase(java.util.Locale.ROOT);
            if (range.isEmpty()) {
                continue;
            }
            String q = "1";
            for (int i = 1; i < params.length; i++) {
                String[] kv = params[i].trim().split("=", 2);
                if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("q")) {
                    q = kv[1].trim();
                }
            }
            if (!range.matches("[^/\\s]+/[^/\\s]+") || !q.matches("0(\\.\\d{0,3})?|1(\\.0{0,3})?")) {
                return offers.get(0); // an invalid header accepts everything, the first offer first
            }
            ranges.add(new String[] {range, q});
        }
        String best = fallback;
        double bestQ = 0;
        for (String offer : offers) {
            double q = quality(ranges, offer);
            if (q > bestQ) {
                best = offer;
                bestQ = q;
            }
        }
        return best;
    }

    /** The q of the most specific range that matches {@code offer}; 0 when none does. */
    private static double quality(List<String[]> ranges, String offer) {
        int specificity = -1;
        double q = 0;
        String type = offer.substring(0, offer.indexOf('/'));
        for (String[] r : ranges) {
            int s = r[0].equals(offer) ? 2 : r[0].equals(type + "/*") ? 1 : r[0].equals("*/*") ? 0 : -1;
            if (s > specificity) {
                specificity = s;
                q = Double.parseDouble(r[1]);
            }
        }
        return q;
    }

    private static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#x27;");
    }

    /** webob's plain text: line breaks become spaces, markup goes. */
    private static String plain(String s) {
        String flat = s.replace('\n', ' ').replace("\r", "");
        return TAG.matcher(BR.matcher(flat).replaceAll("\n")).replaceAll("");
    }

    private static byte[] json(String message, String code, String title) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        body.put("code", code);
        body.put("title", title);
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an error body that is no JSON", e);
        }
    }
}
