# Flattens a JSON document into one "path<TAB>value" line per scalar, e.g.
#   {"networks":[{"ip_address":"10.0.0.5"}]}  ->  networks.0.ip_address<TAB>10.0.0.5
# Enough for OpenStack config-drive files (meta_data.json, network_data.json); busybox has no jq.
{ text = text $0 "\n" }
END {
    pos = 1
    len = length(text)
    value("")
}
function ws() {
    while (pos <= len && index(" \t\r\n", substr(text, pos, 1)) > 0) pos++
}
function value(path,    c, start) {
    ws()
    c = substr(text, pos, 1)
    if (c == "{") object(path)
    else if (c == "[") array(path)
    else if (c == "\"") emit(path, str())
    else {
        start = pos
        while (pos <= len && index(",}] \t\r\n", substr(text, pos, 1)) == 0) pos++
        emit(path, substr(text, start, pos - start))
    }
}
function object(path,    key, c, child) {
    pos++
    ws()
    if (substr(text, pos, 1) == "}") { pos++; return }
    while (pos <= len) {
        ws()
        key = str()
        ws()
        pos++
        child = (path == "") ? key : path "." key
        value(child)
        ws()
        c = substr(text, pos, 1)
        pos++
        if (c != ",") return
    }
}
function array(path,    i, c, child) {
    pos++
    ws()
    if (substr(text, pos, 1) == "]") { pos++; return }
    i = 0
    while (pos <= len) {
        child = (path == "") ? i : path "." i
        value(child)
        ws()
        c = substr(text, pos, 1)
        pos++
        i++
        if (c != ",") return
    }
}
function str(    out, c) {
    pos++
    out = ""
    while (pos <= len) {
        c = substr(text, pos, 1)
        if (c == "\\") {
            pos++
            c = substr(text, pos, 1)
            if (c == "n") c = "\n"
            else if (c == "t") c = "\t"
            else if (c == "r") c = "\r"
            else if (c == "u") { c = "?"; pos += 4 }
            out = out c
            pos++
        } else if (c == "\"") {
            pos++
            return out
        } else {
            out = out c
            pos++
        }
    }
    return out
}
function emit(path, v) {
    gsub(/\t/, " ", v)
    print path "\t" v
}
