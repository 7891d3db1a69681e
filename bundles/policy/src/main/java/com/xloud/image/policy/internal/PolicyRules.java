package com.xloud.image.policy.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * oslo.policy's check language, as Glance's {@code policy.yaml} uses it: {@code role:admin},
 * {@code project_id:%(project_id)s}, {@code 'public':%(visibility)s}, {@code rule:name},
 * {@code @} (always), {@code !} (never), an empty string (always), combined with {@code and},
 * {@code or}, {@code not} and parentheses ({@code not} binds tighter than {@code and}, {@code and}
 * tighter than {@code or}).
 */
public final class PolicyRules {

    /** Who asks: the credential side of a check. */
    public record Credentials(String userId, String projectId, List<String> roles) {
        Object get(String key) {
            return switch (key) {
                case "user_id", "user" -> userId;
                case "project_id", "tenant", "tenant_id", "project" -> projectId;
                case "is_admin" -> roles.stream().anyMatch(r -> r.equalsIgnoreCase("admin"));
                default -> null;
            };
        }
    }

    /** One parsed check string. */
    public interface Check {
        boolean test(Credentials who, Map<String, Object> target, PolicyRules rules, Set<String> visiting);
    }

    private final Map<String, Check> rules;

    public PolicyRules(Map<String, Check> rules) {
        this.rules = Map.copyOf(rules);
    }

    public boolean has(String name) {
        return rules.containsKey(name);
    }

    /** Whether {@code who} may do {@code action} on {@code target}; an action without a rule follows "default". */
    public boolean allows(String action, Credentials who, Map<String, Object> target) {
        Check check = rules.containsKey(action) ? rules.get(action) : rules.get("default");
        return check != null && check.test(who, target, this, new HashSet<>());
    }

    private boolean rule(String name, Credentials who, Map<String, Object> target, Set<String> visiting) {
        Check c = rules.get(name);
        if (c == null || !visiting.add(name)) {
            return false; // unknown rules and cycles deny
        }
        try {
            return c.test(who, target, this, visiting);
        } finally {
            visiting.remove(name);
        }
    }

    /** Parses a check string; a malformed one is an {@link IllegalArgumentException} saying where. */
    public static Check parse(String text) {
        Parser p = new Parser(tokens(text), text);
        if (p.tokens.isEmpty()) {
            return (w, t, r, v) -> true;
        }
        Check c = p.or();
        if (p.pos != p.tokens.size()) {
            throw new IllegalArgumentException("unexpected '" + p.tokens.get(p.pos) + "' in \"" + text + "\"");
        }
        return c;
    }

    /**
     * As oslo.policy: words split on white space, with the parentheses that open a word or close it
     * as tokens of their own (so {@code %(project_id)s} stays whole).
     */
    private static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        for (String word : text.strip().split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            int start = 0;
            while (start < word.length() && word.charAt(start) == '(') {
                out.add("(");
                start++;
            }
            int end = word.length();
            int closing = 0;
            while (end > start && word.charAt(end - 1) == ')' && !word.substring(start, end).endsWith("%(")
                    && !endsWithReference(word.substring(start, end))) {
                end--;
                closing++;
            }
            if (end > start) {
                out.add(word.substring(start, end));
            }
            for (int k = 0; k < closing; k++) {
                out.add(")");
            }
        }
        return out;
    }

    /** True when {@code s} ends inside a {@code %(name)} reference whose ')' is its own. */
    private static boolean endsWithReference(String s) {
        int open = s.lastIndexOf("%(");
        return open >= 0 && s.indexOf(')', open) == s.length() - 1;
    }

    private static final class Parser {
        final List<String> tokens;
        final String text;
        int pos;

        Parser(List<String> tokens, String text) {
            this.tokens = tokens;
            this.text = text;
        }

        boolean at(String word) {
            return pos < tokens.size() && tokens.get(pos).equalsIgnoreCase(word);
        }

        Check or() {
            List<Check> parts = new ArrayList<>(List.of(and()));
            while (at("or")) {
                pos++;
                parts.add(and());
            }
            return parts.size() == 1 ? parts.get(0)
                    : (w, t, r, v) -> parts.stream().anyMatch(c -> c.test(w, t, r, v));
        }

        Check and() {
            List<Check> parts = new ArrayList<>(List.of(not()));
            while (at("and")) {
                pos++;
                parts.add(not());
            }
            return parts.size() == 1 ? parts.get(0)
                    : (w, t, r, v) -> parts.stream().allMatch(c -> c.test(w, t, r, v));
        }

        Check not() {
            if (at("not")) {
                pos++;
                Check inner = not();
                return (w, t, r, v) -> !inner.test(w, t, r, v);
            }
            return atom();
        }

        Check atom() {
            if (pos >= tokens.size()) {
                throw new IllegalArgumentException("\"" + text + "\" ends where a check is expected");
            }
            String token = tokens.get(pos++);
            if (token.equals("(")) {
                Check inner = or();
                if (!at(")")) {
                    throw new IllegalArgumentException("missing ')' in \"" + text + "\"");
                }
                pos++;
                return inner;
            }
            if (token.equals(")") || token.equalsIgnoreCase("and") || token.equalsIgnoreCase("or")) {
                throw new IllegalArgumentException("unexpected '" + token + "' in \"" + text + "\"");
            }
            return check(token);
        }

        Check check(String token) {
            if (token.equals("@")) {
                return (w, t, r, v) -> true;
            }
            if (token.equals("!")) {
                return (w, t, r, v) -> false;
            }
            int colon = token.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("'" + token + "' is not a check (kind:match) in \"" + text + "\"");
            }
            String kind = token.substring(0, colon);
            String match = token.substring(colon + 1);
            if (kind.equals("rule")) {
                return (w, t, r, v) -> r.rule(match, w, t, v);
            }
            if (kind.equals("role")) {
                return (w, t, r, v) -> {
                    String role = value(match, t);
                    return role != null && w.roles().stream().anyMatch(x -> x.equalsIgnoreCase(role));
                };
            }
            // generic: a credential (or a quoted literal) against a target value (or a literal)
            return (w, t, r, v) -> {
                String left = literal(kind) != null ? literal(kind) : str(w.get(kind));
                String right = value(match, t);
                return left != null && right != null && left.equals(right);
            };
        }

        /** {@code %(name)s} from the target, a quoted literal, or the text itself. */
        static String value(String match, Map<String, Object> target) {
            if (match.startsWith("%(") && match.endsWith(")s")) {
                return str(target.get(match.substring(2, match.length() - 2)));
            }
            String lit = literal(match);
            return lit != null ? lit : match;
        }

        static String literal(String s) {
            if (s.length() >= 2 && (s.startsWith("'") && s.endsWith("'") || s.startsWith("\"") && s.endsWith("\""))) {
                return s.substring(1, s.length() - 1);
            }
            return null;
        }

        static String str(Object o) {
            if (o == null) {
                return null;
            }
            return o instanceof Boolean b ? (b ? "True" : "False") : o.toString();
        }
    }
}
