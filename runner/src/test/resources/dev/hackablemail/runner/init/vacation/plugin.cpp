#include "pdk.gen.hpp"

// Deliver every mail; answer it with "I am on vacation until Monday", unless it is a reply.
pdk::Result<int32_t> onEmail(const pdk::IncomingEmail &email) {
    int32_t code = pdk::deliver(email);
    auto found = email.headers.find("Subject");
    std::string subject = found == email.headers.end() ? "" : found->second;
    if (code == 0 && !subject.starts_with("Re:")) {
        pdk::reply({.subject = "Re: " + subject, .body = "I am on vacation until Monday."});
    }
    return code; // a failed reply does not bounce the delivered mail
}
