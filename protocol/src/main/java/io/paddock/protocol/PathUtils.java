package io.paddock.protocol;

/** ZooKeeper's path rules, and the small string operations on paths the server needs. */
public final class PathUtils {
    private PathUtils() {
    }

    /**
     * Why {@code path} is not a valid znode path, or null when it is. Rules as ZooKeeper's:
     * absolute, no empty, "." or ".." segments, no trailing slash (except the root), and no
     * control or surrogate/unassigned characters.
     */
    public static String invalidReason(String path) {
        if (path == null) {
            return "path is null";
        }
        if (path.isEmpty()) {
            return "path length must be > 0";
        }
        if (path.charAt(0) != '/') {
            return "path must start with / character";
        }
        if (path.length() == 1) {
            return null;
        }
        if (path.charAt(path.length() - 1) == '/') {
            return "path must not end with / character";
        }
        char last = '/';
        char[] chars = path.toCharArray();
        for (int i = 1; i < chars.length; i++) {
            char c = chars[i];
            if (c == 0) {
                return "null character not allowed @" + i;
            } else if (c == '/' && last == '/') {
                return "empty node name specified @" + i;
            } else if (c == '.' && last == '.') {
                if (chars[i - 2] == '/' && (i + 1 == chars.length || chars[i + 1] == '/')) {
                    return "relative paths not allowed @" + i;
                }
            } else if (c == '.') {
                if (chars[i - 1] == '/' && (i + 1 == chars.length || chars[i + 1] == '/')) {
                    return "relative paths not allowed @" + i;
                }
            } else if (c > '\u0000' && c <= '\u001f' || c >= '\u007f' && c <= '\u009F'
                || c >= '\ud800' && c <= '\uf8ff' || c >= '\ufff0' && c <= '\uffff') {
                return "invalid character @" + i;
            }
            last = c;
        }
        return null;
    }

    public static boolean isValid(String path) {
        return invalidReason(path) == null;
    }

    /** The parent of a path as ZooKeeper computes it: everything before the last slash ("" for children of the root). */
    public static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return path.substring(0, slash);
    }

    /** The last segment of a path. */
    public static String nameOf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The root is stored under "/" but ZooKeeper's parent computation yields "" for it. */
    public static String normalize(String path) {
        return path.isEmpty() ? "/" : path;
    }

    public static String child(String parent, String name) {
        return parent.equals("/") ? "/" + name : parent + "/" + name;
    }

    /** True when {@code path} is {@code ancestor} or below it. */
    public static boolean isAtOrBelow(String path, String ancestor) {
        if (ancestor.equals("/")) {
            return true;
        }
        return path.startsWith(ancestor) && (path.length() == ancestor.length() || path.charAt(ancestor.length()) == '/');
    }
}
