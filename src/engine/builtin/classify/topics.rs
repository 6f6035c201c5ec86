// Support topics for routing, in the syntax of `CONCEPTS` (see `concepts.rs`): included as
// `TOPICS`.
[
        concept!("payment", "payment", 1.0, false, [
        "payment, payments, pay, paying, payment method, payment methods, payment option, \
         payment failed, payment declined, payment didn't go through, \
         payment not going through, can't pay, cannot pay, couldn't pay, unable to pay, \
         at checkout, checkout page, paypal, apple pay, google pay, klarna, direct debit, \
         instalments, installments, pay in instalments, pay monthly, payment plan, \
         payment plans, cash on delivery, deposit, prepayment",
        "pago, pagos, pagar, pagué, método de pago, métodos de pago, forma de pago, \
         formas de pago, pago rechazado, pago fallido, no puedo pagar, no me deja pagar, \
         paypal, bizum, domiciliación, a plazos, pagar a plazos, fraccionar el pago, \
         contra reembolso, fianza, depósito, anticipo, pasarela de pago",
        "paiement, paiements, payer, payé, payée, moyen de paiement, moyens de paiement, \
         paiement refusé, paiement échoué, impossible de payer, je n'arrive pas à payer, \
         paypal, apple pay, en plusieurs fois, paiement en plusieurs fois, paiement fractionné, \
         acompte, caution, arrhes, paiement à la livraison, ne peux pas payer",
        "zahlung, zahlungen, bezahlen, bezahlt, bezahlung, zahlungsmethode, zahlungsart, \
         zahlungsarten, zahlungsmittel, zahlung fehlgeschlagen, zahlung abgelehnt, \
         kann nicht bezahlen, paypal, klarna, sofortüberweisung, ratenzahlung, in raten, \
         kauf auf rechnung, auf rechnung zahlen, vorkasse, anzahlung, kaution, nachnahme, \
         kann nicht zahlen",
        "platnos*, płatność, zaplac*, zaplat*, placi*, metoda płatności, forma płatności, \
         płatność odrzucona, nie mogę zapłacić, paypal, blik, na raty, raty, przedplat*, \
         zaliczk*, kaucj*, za pobraniem, przy odbiorze",
        "pagamento, pagamentos, pagar, paguei, forma de pagamento, formas de pagamento, \
         método de pagamento, pagamento recusado, pagamento falhou, não consigo pagar, \
         nao consigo pagar, pix, boleto, paypal, parcelar, parcelado, parcelada, parcelas, \
         parcelamento, depósito, caução, pagamento na entrega, mb way, multibanco",
        "pagamento, pagamenti, pagare, pagato, pagata, metodo di pagamento, \
         metodi di pagamento, pagamento rifiutato, pagamento non riuscito, non riesco a pagare, \
         paypal, satispay, a rate, pagare a rate, rateizzare, rateizzazione, caparra, \
         deposito cauzionale, contrassegno",
    ]),
        concept!("card", "payment", 1.0, false, [
        "card, cards, credit card, debit card, bank card, visa, mastercard, amex, \
         american express, maestro, card declined, card was declined, card rejected, \
         card expired, expired card, card blocked, blocked card, card stolen, stolen card, \
         lost card, lost my card, lost my wallet, replacement card, card details, card number, \
         cvv, cvc, pin, pin code, wrong pin, contactless, atm, cash machine",
        "tarjeta, tarjetas, tarjeta de crédito, tarjeta de débito, visa, mastercard, amex, \
         tarjeta rechazada, tarjeta denegada, me rechaza la tarjeta, tarjeta caducada, \
         tarjeta bloqueada, tarjeta robada, he perdido la tarjeta, he perdido mi tarjeta, \
         perdí la tarjeta, perdí mi tarjeta, pin, cvv, cajero, cajero automático, contactless, \
         sin contacto",
        "carte, cartes, carte bancaire, carte bleue, cb, carte de crédit, carte de débit, visa, \
         mastercard, amex, carte refusée, carte expirée, carte bloquée, carte volée, \
         carte perdue, perdu ma carte, perdu la carte, nouvelle carte, code pin, \
         code confidentiel, cryptogramme, cvv, distributeur, dab, sans contact",
        "karte, karten, kreditkarte, kreditkarten, ec-karte, girocard, debitkarte, bankkarte, \
         visa, mastercard, amex, karte abgelehnt, karte gesperrt, karte sperren, \
         karte abgelaufen, karte gestohlen, karte verloren, neue karte, ersatzkarte, pin, \
         kartennummer, prüfnummer, cvv, geldautomat, bankautomat, kontaktlos",
        "karta, karty, kartę, kartą, karcie, kart, karta kredytowa, karta debetowa, \
         karta płatnicza, visa, mastercard, karta odrzucona, karta zablokowana, \
         zablokowana karta, zastrzec, zastrzez*, zgubiłem kartę, zgubiłam kartę, \
         skradziona karta, nowa karta, pin, cvv, bankomat*, zblizeniow*",
        "cartão, cartões, cartão de crédito, cartão de débito, visa, mastercard, amex, \
         cartão recusado, cartão bloqueado, cartão expirado, cartão vencido, cartão roubado, \
         perdi o cartão, perdi meu cartão, senha do cartão, cvv, caixa eletrônico, \
         desbloquear o cartão, contactless, aproximação",
        "carte, la carta, mia carta, una carta, della carta, sulla carta, con la carta, \
         carta di credito, carta di debito, bancomat, visa, mastercard, amex, postepay, \
         carta prepagata, carta rifiutata, carta bloccata, carta scaduta, carta rubata, \
         carta smarrita, ho perso la carta, nuova carta, pin, cvv, sportello, contactless",
    ]),
        concept!("billing", "payment", 0.9, false, [
        "billing, higher than usual, higher than normal, more than usual, statement, vat, \
         vat number, tax id, tax number, sales tax, balance, outstanding balance, amount due, \
         late fee, late payment, arrears, hidden fees",
        "dirección de facturación, datos de facturación, ciclo de facturación, \
         periodo de facturación, iva, nif, cif, datos fiscales, saldo, saldo pendiente, \
         cargo extra, cargos extra, más de lo normal, más alto de lo normal, recargo, recargos, \
         gastos ocultos, el importe, importe total",
        "facturation, adresse de facturation, données de facturation, cycle de facturation, \
         période de facturation, tva, numéro de tva, siret, solde, solde dû, montant dû, \
         frais supplémentaires, frais cachés, plus cher que d'habitude, \
         plus élevé que d'habitude, majoration, pénalité de retard, régularisation, régulariser",
        "abrechnung, abrechnungen, rechnungsadresse, rechnungsdaten, abrechnungszeitraum, \
         mehrwertsteuer, mwst, ust-id, umsatzsteuer, steuernummer, saldo, offener betrag, \
         zusatzkosten, mehrkosten, zu viel berechnet, höher als sonst, höher als üblich, \
         mahnung, mahngebühr, nachzahlung",
        "rozliczen*, rozlicz*, adres do faktury, dane do faktury, okres rozliczeniowy, vat, \
         nip, saldo, kwota, kwoty, doplat*, naliczon*, nalicz*, wyższa niż zwykle, \
         wyzsza niz zwykle, monit, odsetki, zaległ*",
        "endereço de cobrança, dados de faturamento, ciclo de faturamento, iva, nif, cnpj, cpf, \
         saldo, valor cobrado, veio mais alta, mais alta que o normal, veio mais cara, \
         taxa extra, taxas extras, multa, juros, serviços que não contratei, conta de telefone, \
         conta de luz",
        "indirizzo di fatturazione, dati di fatturazione, ciclo di fatturazione, \
         periodo di fatturazione, iva, partita iva, codice fiscale, saldo, costi extra, \
         costi aggiuntivi, più alto del solito, più cara del solito, bolletta, bollette, mora, \
         interessi di mora, sollecito, conguaglio, l'importo, importo totale",
    ]),
        concept!("login", "account", 1.0, false, [
        "login, log in, logging in, logged in, log into, logon, sign in, signing in, signed in, \
         can't log in, cannot log in, unable to log in, can't login, can't sign in, \
         cannot sign in, can't get in, can't access, cannot access, unable to access, \
         lost access, no access, locked out, logged out, keeps logging me out, username, \
         user name, credentials, face id, touch id",
        "login, iniciar sesión, inicio de sesión, cerrar sesión, no puedo entrar, \
         no me deja entrar, no consigo entrar, no puedo acceder, no consigo acceder, \
         no me deja acceder, sin acceso, perdí el acceso, nombre de usuario, credenciales, \
         =loguearme, =logearme, me echa de la sesión, la sesión se cierra, \
         no puedo iniciar sesión, no consigo iniciar sesión, no me deja iniciar sesión",
        "login, connexion, me connecter, se connecter, impossible de me connecter, \
         je n'arrive pas à me connecter, identifiant, identifiants, accès à mon compte, \
         je n'ai plus accès, pas accès, bloqué hors de mon compte, déconnecté, session expirée, \
         je n'arrive plus à me connecter, je ne peux pas me connecter, \
         je ne peux plus me connecter",
        "login, log in, einloggen, eingeloggt, anmelden, anmeldung, angemeldet, melde mich an, \
         kann mich nicht anmelden, kann mich nicht einloggen, anmeldedaten, zugangsdaten, \
         benutzername, nutzername, ausgesperrt, ausgeloggt, kein zugang, keinen zugang, \
         komme nicht rein, komme nicht mehr rein, face id, kann mich nicht mehr anmelden, \
         kann mich nicht mehr einloggen",
        "logowan*, zaloguj*, zalogow*, wylogow*, login*, loguj*, nie mogę się zalogować, \
         nie moge sie zalogowac, dane logowania, nazwa użytkownika, brak dostępu, \
         nie mam dostępu, nie mam dostepu, stracilem dostep, face id, nie mogę zalogować się, \
         nie moge zalogowac sie, nie da się zalogować, nie da sie zalogowac",
        "login, fazer login, =logar, não consigo logar, não consigo entrar, nao consigo entrar, \
         não consigo acessar, nao consigo acessar, acessar minha conta, acesso à conta, \
         nome de usuário, credenciais, sessão expirada, iniciar sessão, desconectado, face id, \
         não consigo fazer login, nao consigo fazer login",
        "login, accesso, accedere, non riesco ad accedere, non riesco a entrare, \
         non riesco ad entrare, effettuare l'accesso, fare il login, loggarmi, credenziali, \
         nome utente, username, bloccato fuori, disconnesso, sessione scaduta, face id, \
         non riesco a fare il login, non riesco a loggarmi",
    ]),
        concept!("password", "account", 1.0, false, [
        "password, passwords, passcode, forgot my password, forgotten my password, \
         forgot the password, forgot my login, forgot my username, reset my password, \
         password reset, reset link, reset email, recovery email, new password, wrong password, \
         incorrect password, don't remember my password, can't remember my password, \
         don't know my password",
        "contraseña, contraseñas, contrasena, clave de acceso, olvidé mi contraseña, \
         olvidé la contraseña, olvide mi contraseña, restablecer la contraseña, \
         recuperar la contraseña, correo de recuperación, nueva contraseña, \
         contraseña incorrecta, password",
        "mot de passe, mots de passe, mdp, oublié mon mot de passe, oublié le mot de passe, \
         j'ai oublié mon mot de passe, oublié mes identifiants, oublié mon identifiant, \
         réinitialiser, réinitialisation, mail de réinitialisation, lien de réinitialisation, \
         nouveau mot de passe, password",
        "passwort, passwörter, kennwort, passwort vergessen, kennwort vergessen, \
         passwort zurücksetzen, neues passwort, falsches passwort, link zum zurücksetzen, \
         password",
        "hasl*, hasło, nie pamiętam hasła, nie pamietam hasla, zapomniałem hasła, \
         zapomniałam hasła, zapomnialem hasla, zapomnialam hasla, reset hasła, \
         zresetować hasło, nowe hasło, password",
        "senha, senhas, palavra-passe, esqueci minha senha, esqueci a senha, esqueci meu login, \
         redefinir a senha, redefinir senha, recuperar a senha, e-mail de recuperação, \
         email de recuperação, nova senha, senha incorreta, senha errada, password",
        "password, parola d'ordine, ho dimenticato la password, dimenticato la password, \
         reimpostare la password, recupero password, recuperare la password, nuova password, \
         password scaduta, password errata, password sbagliata",
    ]),
        concept!("account", "account", 0.8, false, [
        "account, accounts, my account, user account, customer account, profile, my profile, \
         account settings, create an account, open an account, close my account, \
         delete my account, deactivate my account, account locked, account suspended, \
         suspended account, account blocked, current account, savings account, joint account, \
         business account, registration",
        "mi cuenta, la cuenta, una cuenta, su cuenta, tu cuenta, cuenta de usuario, \
         cuenta bancaria, cuenta corriente, cuenta conjunta, abrir una cuenta, \
         cerrar mi cuenta, cerrar la cuenta, eliminar mi cuenta, cuenta bloqueada, \
         cuenta suspendida, perfil, mi perfil, registrarme, darme de alta, crear una cuenta",
        "mon compte, votre compte, le compte, un compte, du compte, ce compte, compte client, \
         compte utilisateur, compte bancaire, compte courant, compte joint, espace client, \
         profil, mon profil, créer un compte, ouvrir un compte, fermer mon compte, \
         supprimer mon compte, clôturer mon compte, compte bloqué, compte suspendu, inscription",
        "konto, konten, kundenkonto, benutzerkonto, nutzerkonto, girokonto, geschäftskonto, \
         gemeinschaftskonto, kontoauszug, profil, registrieren, registrierung, konto erstellen, \
         konto eröffnen, konto schließen, konto löschen, konto gesperrt, account, mein account",
        "konto, konta, kontem, =koncie, kontu, moje konto, profil, profilu, zarejestr*, \
         rejestracja konta, założyć konto, zalozyc konto, zamknąć konto, zamknac konto, \
         usunąć konto, usunac konto, konto firmowe, konto osobiste, konto bankowe, \
         konto zablokowane, zablokowane konto, account",
        "minha conta, sua conta, uma conta, conta corrente, conta bancária, conta conjunta, \
         conta de usuário, perfil, meu perfil, cadastro, cadastrar, me cadastrar, \
         criar uma conta, criar conta, abrir uma conta, abrir conta, encerrar minha conta, \
         encerrar a conta, fechar minha conta, excluir minha conta, conta bloqueada, \
         conta suspensa, account",
        "account, il mio account, mio account, conto corrente, conto cointestato, il conto, \
         un conto, mio conto, sul conto, profilo, mio profilo, registrazione, registrarmi, \
         creare un account, aprire un conto, chiudere il conto, chiudere il mio account, \
         eliminare il mio account, account bloccato, area riservata, area clienti",
    ]),
        concept!("two_factor", "account", 0.9, false, [
        "two-factor, two factor, 2fa, mfa, authenticator, authenticator app, authentication, \
         verification code, security code, one-time code, one time code, one-time password, \
         otp, sms code, text code, login code, didn't get the code, never got the code, \
         code never arrives, didn't receive the code, haven't received the code, \
         never received the code, not receiving the code, not getting the code, \
         don't receive the code, don't get the code, no code",
        "verificación en dos pasos, doble factor, autenticación, autenticador, \
         código de verificación, código de seguridad, código por sms, código sms, \
         no me llega el código, no recibo el código, 2fa, otp",
        "double authentification, authentification, authentificateur, code de vérification, \
         code de sécurité, code de confirmation, code par sms, code sms, \
         je ne reçois pas le code, validation en deux étapes, 2fa, otp",
        "zwei-faktor, zwei-faktor-authentifizierung, 2fa, authentifizierung, authenticator, \
         bestätigungscode, verifizierungscode, sicherheitscode, sms-code, einmalcode, tan, \
         pushtan, tan-verfahren, code kommt nicht, keinen code, bekomme keinen code",
        "weryfikacja dwuetapowa, dwuskladnikow*, uwierzytelnian*, kod weryfikacyjny, kod sms, \
         kod autoryzacyjny, kod z sms, 2fa, nie przychodzi kod, nie dostaję kodu, \
         nie dostaje kodu",
        "verificação em duas etapas, autenticação, autenticador, dois fatores, \
         código de verificação, codigo de verificacao, código de segurança, código por sms, \
         código sms, não recebo o código, token, 2fa, não chega o código, nao chega o codigo",
        "autenticazione a due fattori, doppia autenticazione, autenticazione, autenticatore, \
         codice di verifica, codice di sicurezza, codice sms, codice otp, otp, \
         non mi arriva il codice, 2fa",
    ]),
        concept!("email_missing", "account", 0.9, false, [
        "confirmation email, confirmation mail, verification email, activation email, \
         welcome email, confirmation link, verification link, activation link, \
         receive the email, received the email, receive an email, received an email, \
         receive any email, received any email, receiving emails, get the email, got the email, \
         getting the email, getting emails, email never, email hasn't arrived, \
         email didn't arrive, no email, spam folder, junk folder, check spam, resend the email, \
         resend the link, verify my email, confirm my email, didn't receive the email, \
         didn't receive an email, didn't receive any email, didn't receive the confirmation, \
         didn't receive a confirmation, didn't receive the link, didn't get the email, \
         didn't get an email, didn't get any email, didn't get the confirmation, \
         didn't get a confirmation, didn't get the link, did not receive the email, \
         did not receive an email, did not receive the confirmation, \
         haven't received the email, haven't received an email, haven't received any email, \
         haven't received the confirmation, haven't received a confirmation, \
         haven't got the email, never received the email, never received an email, \
         never received the confirmation, never got the email, never got the confirmation, \
         not received the email, not received any email, not getting emails, \
         not receiving emails, not getting the email, not receiving the email, \
         don't receive the email, don't receive emails, don't get emails, \
         no confirmation email, no verification email",
        "correo de confirmación, correo de verificación, email de confirmación, \
         mail de confirmación, enlace de confirmación, enlace de verificación, \
         enlace de activación, link de confirmación, no me llega el correo, \
         no me llega el email, no me llega el mail, no recibo el correo, no recibo el email, \
         no he recibido el correo, no he recibido ningún correo, no he recibido el email, \
         no llega el correo, carpeta de spam, correo no deseado, reenviar el correo, \
         verificar mi correo, confirmar mi correo",
        "mail de confirmation, email de confirmation, e-mail de confirmation, \
         courriel de confirmation, mail de validation, mail d'activation, lien de confirmation, \
         lien d'activation, lien de validation, je ne reçois pas le mail, \
         je ne reçois pas l'email, je n'ai pas reçu le mail, je n'ai pas reçu l'email, \
         pas reçu de mail, aucun mail, aucun email, le mail n'arrive pas, dans les spams, \
         courrier indésirable, renvoyer le mail, confirmer mon adresse",
        "bestätigungsmail, bestätigungs-mail, bestätigungs-e-mail, bestätigungslink, \
         aktivierungslink, aktivierungsmail, verifizierungsmail, verifizierungslink, \
         keine e-mail, keine mail, keine email, mail nicht erhalten, e-mail nicht erhalten, \
         mail kommt nicht an, e-mail kommt nicht, mail ist nicht angekommen, im spam, \
         spamordner, spam-ordner, e-mail erneut senden, keine bestätigungsmail, \
         keine bestätigungs-mail, keine bestätigungs-e-mail, keinen bestätigungslink, \
         keinen aktivierungslink, keine aktivierungsmail, keinen link",
        "mail potwierdzający, email potwierdzający, e-mail potwierdzający, link aktywacyjny, \
         link potwierdzający, mail aktywacyjny, nie przyszedł mail, nie przyszedł email, \
         nie doszedł mail, nie dostałem maila, nie dostałam maila, nie dostałem emaila, \
         nie otrzymałem maila, brak maila, nie ma maila, folder spam, w spamie",
        "email de confirmação, e-mail de confirmação, e-mail de verificação, \
         email de verificação, link de confirmação, link de ativação, link de verificação, \
         não recebi o email, não recebi o e-mail, nao recebi o email, não chegou o email, \
         não chega o email, o email não chega, nenhum email, caixa de spam, pasta de spam, \
         lixo eletrônico, reenviar o email, confirmar meu email",
        "email di conferma, mail di conferma, e-mail di conferma, email di verifica, \
         link di conferma, link di attivazione, link di verifica, mail di attivazione, \
         non mi arriva la mail, non mi arriva l'email, non ho ricevuto la mail, \
         non ho ricevuto l'email, non ricevo la mail, non arriva la mail, nessuna mail, \
         nessuna email, cartella spam, nello spam, posta indesiderata, reinviare la mail",
    ]),
        concept!("bug", "technical", 0.9, false, [
        "bug, bugs, buggy, glitch, glitches, glitchy, stopped working, has stopped working, \
         doesn't save, won't save, not saving, doesn't sync, won't sync, not syncing, \
         weird behaviour, weird behavior, strange behaviour, unexpected behaviour, \
         feature broken",
        "bug, bugs, fallo, fallos, glitch, dejó de funcionar, dejo de funcionar, \
         ha dejado de funcionar, funciona mal, no guarda, no se guarda, no sincroniza, \
         comportamiento raro, comportamiento extraño",
        "bug, bugs, beug, dysfonctionnement, dysfonctionnements, ne fonctionne plus, \
         ne marche plus, fonctionne mal, marche mal, a cessé de fonctionner, \
         ne s'enregistre pas, ne sauvegarde pas, ne se synchronise pas, comportement bizarre, \
         comportement étrange",
        "bug, bugs, programmfehler, softwarefehler, glitch, spinnt, klappt nicht, \
         speichert nicht, synchronisiert nicht, seltsames verhalten, komisches verhalten",
        "bug, bugi, bugiem, glitch, przestał działać, przestała działać, przestało działać, \
         przestal dzialac, przestala dzialac, nie zapisuje, nie synchronizuje, \
         dziwnie się zachowuje",
        "bug, bugs, falha, falhas, glitch, parou de funcionar, deixou de funcionar, não salva, \
         nao salva, não sincroniza, comportamento estranho",
        "bug, baco, malfunzionamento, malfunzionamenti, anomalia, glitch, \
         ha smesso di funzionare, smesso di funzionare, non salva, non si salva, \
         non sincronizza, comportamento strano",
    ]),
        concept!("error", "technical", 0.9, false, [
        "error, errors, error message, error code, error 500, 500 error, error 404, 404 error, \
         error 502, 502 error, error 503, 503 error, internal server error, page not found, \
         404 not found, something went wrong, an error occurred, error occurred, exception, \
         failed to, fails to, failure, invalid",
        "error, errores, mensaje de error, código de error, error 500, error 404, error 502, \
         sale error, me sale un error, da error, me da error, ha ocurrido un error, \
         algo salió mal, algo ha ido mal, excepción, no válido, inválido",
        "erreur, erreurs, message d'erreur, code d'erreur, erreur 500, erreur 404, erreur 502, \
         une erreur s'est produite, une erreur est survenue, quelque chose s'est mal passé, \
         échec, échoué, invalide, non valide",
        "=fehler, fehlers, fehlern, fehlermeldung, fehlermeldungen, fehlercode, fehler 500, \
         fehler 404, fehler 502, ein fehler ist aufgetreten, etwas ist schiefgelaufen, \
         schiefgelaufen, ungültig, serverfehler, fehlgeschlagen, error",
        "błąd, błędu, błędy, błędem, błędów, komunikat o błędzie, kod błędu, błąd 500, \
         błąd 404, wyskakuje błąd, wyskakuje blad, pojawia się błąd, coś poszło nie tak, \
         cos poszlo nie tak, niepowodzen*, error",
        "erro, erros, mensagem de erro, código de erro, erro 500, erro 404, erro 502, dá erro, \
         da erro, deu erro, aparece um erro, ocorreu um erro, algo deu errado, inválido, \
         invalido",
        "errore, errori, messaggio di errore, codice di errore, errore 500, errore 404, \
         errore 502, mi dà errore, da errore, si è verificato un errore, \
         qualcosa è andato storto, non valido, eccezione",
    ]),
        concept!("crash", "technical", 1.0, false, [
        "crash, crashes, crashed, crashing, keeps crashing, =freezes, =froze, keeps freezing, \
         screen freezes, screen froze, frozen screen, freezes up, closes by itself, \
         closes itself, closes on its own, keeps closing, force close, force closes, \
         quits unexpectedly, shuts down by itself, turns off by itself, unresponsive, \
         not responding, stops responding, restarts itself, reboots itself, keeps restarting",
        "crash, crashea, se cierra sola, se cierra solo, se cierra de repente, se bloquea, \
         se cuelga, se queda colgado, se queda colgada, se congela, pantalla congelada, \
         se reinicia solo, se reinicia sola, se apaga solo, se apaga sola, se peta, \
         deja de responder",
        "crash, crashe, plantage, ça plante, se ferme toute seule, se ferme tout seul, \
         se ferme tout le temps, se bloque, se fige, figé, figée, ne répond plus, \
         redémarre tout seul, redémarre toute seule, s'éteint tout seul, s'éteint toute seule, \
         l'appli plante, l'application plante, le site plante, qui plante, ça a planté, \
         encore planté, plante tout le temps, plante à chaque fois, plante quand",
        "absturz, abstürze, stürzt, stürzt ab, abgestürzt, hängt sich auf, aufgehängt, \
         friert ein, eingefroren, schließt sich von selbst, schließt sich einfach, \
         reagiert nicht mehr, startet neu, startet sich neu, startet ständig neu, crash, \
         crasht, schmiert ab",
        "crash, crashuje, zawiesza się, zawiesza sie, zawiesił się, zawiesil sie, wiesza się, \
         wyłącza się, wylacza sie, sam się wyłącza, sama się wyłącza, sama się zamyka, \
         sam się zamyka, wywala, wywaliło, restartuje się, restartuje sie, resetuje się, \
         przestaje odpowiadać",
        "crash, trava, travou, travando, travada, fica travado, fecha sozinho, fecha sozinha, \
         fecha do nada, congelou, tela congelada, reinicia sozinho, reinicia sozinha, \
         desliga sozinho, desliga sozinha, para de responder",
        "crash, crasha, si blocca, si chiude da solo, si chiude da sola, \
         si chiude improvvisamente, si pianta, si è piantato, si impalla, impallato, \
         si riavvia da solo, si riavvia da sola, si spegne da solo, si spegne da sola, \
         non risponde più",
    ]),
        concept!("not_loading", "technical", 0.9, false, [
        "not loading, doesn't load, does not load, won't load, will not load, can't load, \
         cannot load, unable to load, failed to load, fails to load, isn't loading, won't open, \
         doesn't open, does not open, won't start, blank page, blank screen, white screen, \
         black screen, empty page, loading forever, keeps loading, stuck loading, \
         infinite loading, spinner, spinning wheel, keeps spinning, timed out, times out",
        "no carga, no se carga, no me carga, no termina de cargar, se queda cargando, \
         sigue cargando, carga infinita, no abre, no se abre, no me abre, no arranca, \
         página en blanco, pantalla en blanco, pantalla blanca, pantalla negra, \
         se queda en blanco, no puedo abrir",
        "ne charge pas, ne se charge pas, ne charge plus, charge à l'infini, tourne en boucle, \
         chargement infini, chargement sans fin, page blanche, écran blanc, écran noir, \
         ne s'ouvre pas, ne s'ouvre plus, ne démarre pas, ne démarre plus, impossible d'ouvrir, \
         impossible de charger, ne s'affiche pas, ne s'affiche plus",
        "lädt nicht, lädt nicht mehr, lädt ewig, lädt ständig, wird nicht geladen, \
         lässt sich nicht öffnen, öffnet nicht, öffnet sich nicht, startet nicht, weiße seite, \
         weißer bildschirm, schwarzer bildschirm, leere seite, ladebildschirm, ladekreis, \
         zeitüberschreitung, timeout",
        "nie ładuje się, nie laduje sie, nie ładuje, nie laduje, się nie ładuje, \
         sie nie laduje, nie wczytuje, się nie wczytuje, nie otwiera się, się nie otwiera, \
         sie nie otwiera, nie uruchamia się, ciągle się ładuje, ciagle sie laduje, biały ekran, \
         bialy ekran, czarny ekran, pusta strona, pusty ekran",
        "não carrega, nao carrega, não abre, nao abre, fica carregando, ficou carregando, \
         carregando infinitamente, não termina de carregar, tela branca, tela em branco, \
         tela preta, página em branco, não inicia, não consigo abrir, nao consigo abrir",
        "non carica, non si carica, non si apre, non si avvia, resta a caricare, \
         continua a caricare, caricamento infinito, rimane in caricamento, pagina bianca, \
         pagina vuota, schermata bianca, schermo bianco, schermata nera, schermo nero, \
         non riesco ad aprire",
    ]),
        concept!("slow", "technical", 0.7, false, [
        "slow, slowly, sluggish, laggy, lags, takes forever to load, takes ages to load, \
         very slow, so slow, too slow, super slow, slowed down, slows down, latency, high ping, \
         buffering",
        "=lento, =lenta, lentísimo, lentísima, lentitud, va lento, va muy lento, \
         tarda en cargar, tarda mucho en cargar, tarda en abrir, se ralentiza, ralentizado, \
         latencia, lag",
        "lenteur, lenteurs, très lent, ralenti, ralentit, ça rame, ça lag, lag, latence, \
         met du temps à charger, met une éternité à charger, mouline, trop lent, c'est lent, \
         est lent, très lente",
        "langsam, sehr langsam, extrem langsam, verlangsamt, lahm, ruckelt, ruckeln, laggt, \
         lag, lädt langsam, braucht ewig, latenz",
        "bardzo wolno, strasznie wolno, strasznie wolny, bardzo wolny, wolno działa, \
         działa wolno, dziala wolno, wolno chodzi, powoln*, muli, zamula, lagi, zacina, \
         zacinaj*, tnie się, laguj*",
        "=lento, =lenta, lentidão, lentidao, muito lento, muito lenta, devagar, \
         demora para carregar, demora muito para carregar, lag, latência, engasgando",
        "=lento, =lenta, lentissimo, lentissima, lentezza, rallentato, rallenta, a rilento, \
         va a rilento, lag, ci mette tanto a caricare, ci mette una vita, latenza, scattoso",
    ]),
        concept!("app", "technical", 0.8, false, [
        "app, apps, mobile app, the app, your app, ios app, android app, app store, play store, \
         google play, ios, android, mobile version, app update, reinstall, reinstalled, \
         reinstalling, uninstall, uninstalled, download the app, banking app",
        "app, aplicación, la app, la aplicación, aplicación móvil, app del banco, ios, android, \
         play store, app store, google play, reinstalar, reinstalé, desinstalar, desinstalé, \
         descargar la app, actualizar la app, actualización de la app",
        "appli, l'appli, application, l'application, application mobile, app, ios, android, \
         play store, app store, google play, réinstaller, réinstallé, désinstaller, \
         désinstallé, télécharger l'appli, mise à jour de l'appli, mise à jour de l'application",
        "app, apps, die app, handy-app, smartphone-app, banking-app, anwendung, ios, android, \
         play store, app store, google play, neu installiert, neu installieren, deinstalliert, \
         deinstallieren, app-update",
        "aplikacj*, apka, apki, apce, apkę, app, ios, android, play store, app store, \
         google play, przeinstalow*, odinstalow*, reinstal*, aktualizacja aplikacji",
        "app, aplicativo, aplicativos, o app, o aplicativo, ios, android, play store, \
         app store, google play, reinstalei, reinstalar, desinstalei, desinstalar, \
         baixar o app, atualizar o app, atualização do app",
        "app, applicazione, l'app, l'applicazione, app mobile, ios, android, play store, \
         app store, google play, reinstallata, reinstallato, reinstallare, disinstallato, \
         disinstallare, scaricare l'app, aggiornamento dell'app, aggiornare l'app",
    ]),
        concept!("website", "technical", 0.7, false, [
        "website, websites, web site, webpage, web page, homepage, home page, your site, \
         the site, online banking, web app, web version, browser, chrome, firefox, safari, url, \
         web portal, customer portal",
        "web, página web, pagina web, sitio web, la web, vuestra web, su web, navegador, \
         chrome, firefox, safari, url, banca online, banca en línea, versión web",
        "site, site web, site internet, le site, votre site, page web, page internet, \
         navigateur, chrome, firefox, safari, url, banque en ligne, version web",
        "website, webseite, internetseite, homepage, webportal, die seite, eure seite, \
         ihre seite, der seite, browser, chrome, firefox, safari, url, onlinebanking, \
         online-banking, webversion",
        "strona internetowa, stronie internetowej, strony internetowej, stronę internetową, \
         strona banku, strona sklepu, strona www, na stronie, ze strony, strona się, \
         strona sie, witryn*, serwis internetowy, przegladark*, chrome, firefox, safari, url, \
         bankowość internetowa, bankowosc internetowa, www",
        "site, website, o site, no site, página web, navegador, chrome, firefox, safari, url, \
         internet banking, banco online, versão web",
        "sito, sito web, sito internet, il sito, vostro sito, pagina web, home banking, \
         homebanking, browser, chrome, firefox, safari, url, versione web",
    ]),
        concept!("technical", "technical", 0.7, false, [
        "technical, technical issue, technical problem, tech support, technical support, \
         troubleshoot, troubleshooting, malfunction, settings, configuration, configure, \
         integration, integrations, api, webhook, webhooks, sync, synchronization, =exporting, \
         =importing, plugin, software, server, exported, export data, csv export, export to, \
         import data, importing data",
        "técnico, técnica, problema técnico, soporte técnico, asistencia técnica, \
         configuración, configurar, ajustes, integración, integraciones, api, webhook, \
         webhooks, sincronización, exportar, plugin, software, servidor, importar datos",
        "technique, problème technique, souci technique, support technique, \
         assistance technique, paramètres, réglages, configuration, configurer, intégration, \
         intégrations, api, webhook, webhooks, synchronisation, exporter, plugin, serveur",
        "technisch, technische, technisches problem, technischer support, technischer fehler, \
         einstellungen, konfiguration, konfigurieren, integration, integrationen, \
         schnittstelle, api, webhook, webhooks, synchronisation, exportieren, importieren, \
         plugin, software, server",
        "technicz*, problem techniczny, wsparcie techniczne, pomoc techniczna, ustawien*, \
         konfiguracj*, skonfigur*, integracj*, api, webhook*, synchronizacj*, eksport*, \
         wtyczk*, oprogramowan*, serwer*",
        "técnico, técnica, problema técnico, suporte técnico, configurações, configuração, \
         configurar, ajustes, integração, integrações, api, webhook, webhooks, sincronização, \
         exportar, anexos, plugin, software, servidor, importar dados",
        "tecnico, tecnica, problema tecnico, supporto tecnico, impostazioni, configurazione, \
         configurare, integrazione, integrazioni, api, webhook, webhooks, sincronizzazione, \
         esportare, esportazione, importare i dati, plugin, software, server",
    ]),
        concept!("network", "network", 0.9, false, [
        "internet, wifi, wi-fi, broadband, fibre, fiber, =connection, =connections, \
         =connectivity, no internet, internet down, internet is down, no connection, \
         connection drops, keeps disconnecting, disconnects, dropping out, 4g, 5g, 3g, lte, \
         mobile data, data connection, hotspot, ethernet, bandwidth, speed test, network, \
         don't have internet, have no internet, no wifi, don't have wifi",
        "internet, wifi, wi-fi, fibra, fibra óptica, adsl, conexión, sin internet, \
         sin conexión, no tengo internet, se corta internet, se cae internet, \
         se cae la conexión, se desconecta, la red, sin red, red móvil, problemas de red, \
         datos móviles, 4g, 5g, 3g, velocidad de internet, megas",
        "internet, wifi, wi-fi, fibre, adsl, la box, ma box, box internet, connexion internet, \
         pas d'internet, plus d'internet, coupure internet, réseau, le réseau, données mobiles, \
         4g, 5g, 3g, débit internet, se déconnecte, partage de connexion, pas de wifi",
        "internet, wlan, wifi, wi-fi, glasfaser, dsl, breitband, internetverbindung, \
         kein internet, internet weg, internet ausgefallen, netz, netzwerk, mobile daten, 4g, \
         5g, lte, 3g, verbindungsabbruch, verbindungsabbrüche, bricht ständig ab, hotspot",
        "internet, internetu, internetem, internecie, wifi, wi-fi, swiatlowod*, =łącze, =łącza, \
         połączenie internetowe, brak internetu, nie ma internetu, nie działa internet, =sieć, \
         =sieci, transfer danych, dane komórkowe, dane mobilne, 4g, 5g, lte, 3g, rozłącza, \
         rozlacza, hotspot, nie mam internetu",
        "internet, wifi, wi-fi, fibra, fibra óptica, banda larga, conexão, conexao, \
         sem internet, internet caiu, caiu a internet, a internet cai, rede, a rede, \
         dados móveis, 4g, 5g, 3g, desconecta, hotspot, não tenho internet, nao tenho internet",
        "internet, wifi, wi-fi, fibra, adsl, connessione, linea internet, senza internet, \
         niente internet, internet non va, rete, la rete, dati mobili, 4g, 5g, 3g, \
         si disconnette, disconnessione, hotspot, non ho internet",
    ]),
        concept!("signal", "network", 1.0, false, [
        "signal, no signal, weak signal, poor signal, bad signal, signal strength, \
         bad reception, poor reception, no reception, phone reception, mobile reception, \
         network coverage, mobile coverage, no coverage, poor coverage, bad coverage, \
         coverage map, no bars, one bar, no service, dead zone, dropped calls, calls drop, \
         calls keep dropping, call drops, can't make calls, cannot make calls, sos only, \
         emergency calls only, antenna, don't have signal, don't have any signal, \
         don't get signal",
        "señal, sin señal, poca señal, mala señal, cobertura, sin cobertura, poca cobertura, \
         mala cobertura, no tengo cobertura, rayas, sin rayas, se cortan las llamadas, \
         se corta la llamada, llamadas cortadas, no puedo llamar, solo emergencias, solo sos, \
         antena, no tengo señal, no hay señal, no hay cobertura",
        "=signal, pas de signal, capte pas, ne capte pas, ne capte plus, capter, \
         couverture réseau, pas de réseau, plus de réseau, aucun réseau, zone blanche, barres, \
         aucune barre, appels coupés, appel coupé, impossible d'appeler, \
         appels d'urgence uniquement, sos, antenne",
        "signal, kein signal, schwaches signal, kein empfang, schlechter empfang, \
         schlechten empfang, handyempfang, netzempfang, netzabdeckung, kein netz, \
         schlechtes netz, funkloch, funklöcher, kein balken, gespräche brechen ab, \
         anrufe brechen ab, nur notrufe, sendemast, keinen empfang",
        "zasięg, zasięgu, brak zasięgu, słaby zasięg, sygnał, sygnału, brak sygnału, kreski, \
         kreska, zrywa połączenia, zrywa rozmowy, przerywa rozmowy, nie mogę dzwonić, \
         nie moge dzwonic, tylko sos, sos, antena, nadajnik*, maszt*, nie ma zasięgu, \
         nie mam zasięgu, nie ma zasiegu, nie mam zasiegu",
        "sinal, sem sinal, sinal fraco, pouco sinal, cobertura, sem cobertura, \
         área de cobertura, rede fraca, sem rede, tracinhos, barrinhas, chamadas caem, \
         ligação cai, a ligação cai, ligações caindo, não consigo ligar, só sos, sos, antena, \
         não tenho sinal, nao tenho sinal, não tem sinal",
        "senza segnale, niente segnale, poco segnale, segnale debole, copertura, \
         senza copertura, non c'è campo, niente campo, poco campo, senza campo, zero campo, \
         nessuna tacca, cadono le chiamate, cade la linea, la linea cade, chiamate interrotte, \
         non riesco a chiamare, solo sos, sos, antenna, ripetitore, il segnale, del segnale, \
         di segnale, segnale telefonico, zero tacche, poche tacche",
    ]),
        concept!("outage", "network", 0.9, false, [
        "outage, outages, service outage, network outage, power outage, is down, service down, \
         system down, servers down, down for everyone, everything is down, service disruption, \
         disruption, interruption, scheduled maintenance, =maintenance, whole area, \
         entire area, in my area, whole neighbourhood, whole neighborhood, status page",
        "caída del servicio, caída de la red, caída general, avería general, avería en la zona, \
         corte de servicio, corte de internet, corte de luz, apagón, interrupción, \
         interrupción del servicio, mantenimiento, en toda la zona, todo el barrio, en mi zona, \
         está caído, esta caido, servicio caído",
        "panne générale, panne réseau, panne de réseau, panne internet, coupure, coupures, \
         coupure de service, interruption, interruption de service, =maintenance, \
         dans tout le quartier, tout le quartier, dans ma zone, dans mon secteur, \
         incident en cours, incident réseau, service indisponible",
        "störung, störungen, netzstörung, ausfall, ausfälle, netzausfall, totalausfall, \
         serverausfall, internetausfall, stromausfall, unterbrechung, wartungsarbeiten, \
         im ganzen viertel, in der ganzen straße, im ganzen ort, in meiner gegend, \
         störungsmeldung",
        "awaria, awarii, awarie, awaria sieci, przerwa w działaniu, przerwa techniczna, \
         prace serwisowe, prace techniczne, w całej okolicy, na całym osiedlu, w mojej okolicy, \
         u sąsiadów też, wyłączenie prądu, brak prądu",
        "queda de internet, queda geral, queda na rede, queda do sistema, fora do ar, \
         fora de serviço, instabilidade, interrupção, interrupção do serviço, manutenção, \
         no bairro todo, em todo o bairro, na minha região, na minha área, sem luz",
        "disservizio, disservizi, guasto alla rete, guasto di rete, guasto generale, \
         interruzione, interruzione del servizio, manutenzione, blackout, è down, rete down, \
         server down, sito down, in tutta la zona, in tutto il quartiere, nella mia zona, \
         servizio non disponibile",
    ]),
        concept!("sim_card", "telecom", 1.0, false, [
        "sim card, simcard, sim cards, the sim, my sim, new sim, a sim, =esim, nano sim, \
         micro sim, sim tray, sim slot, sim pin, sim swap, replacement sim, activate sim, \
         activate my sim, sim activation, sim not, sim doesn't, sim isn't, sim won't, no sim, \
         puk, puk code",
        "tarjeta sim, la sim, mi sim, una sim, nueva sim, sim nueva, =esim, nano sim, \
         micro sim, duplicado de sim, duplicado de la sim, activar la sim, pin de la sim, puk, \
         código puk, bandeja de la sim, no reconoce la sim",
        "carte sim, la sim, ma sim, une sim, nouvelle sim, =esim, nano sim, micro sim, \
         tiroir sim, code puk, puk, activer la sim, activation de la sim, sim non reconnue, \
         duplicata sim",
        "sim-karte, sim karte, simkarte, sim-karten, simkarten, die sim, meine sim, neue sim, \
         =esim, e-sim, nano-sim, micro-sim, puk, pin der sim, sim aktivieren, sim-tausch, \
         ersatz-sim, erkennt die sim",
        "karta sim, kartę sim, karty sim, karcie sim, =esim, nano sim, micro sim, puk, kod puk, \
         aktywacja karty sim, aktywować kartę sim, duplikat karty sim, nie wykrywa karty",
        "o chip, meu chip, um chip, do chip, no chip, chip novo, novo chip, cartão sim, \
         cartao sim, =esim, nano sim, micro sim, puk, código puk, ativar o chip, \
         ativação do chip, troca de chip, chip não reconhecido",
        "scheda sim, la sim, una sim, nuova sim, =esim, nano sim, micro sim, puk, codice puk, \
         attivare la sim, attivazione sim, sostituzione sim, cambio sim, \
         la sim non viene riconosciuta",
    ]),
        concept!("porting", "telecom", 1.0, false, [
        "=porting, port my number, port my phone number, port in, port out, number port, \
         keep my number, keep my phone number, keep my old number, keep my mobile number, \
         transfer my number, move my number, bring my number, switch provider, \
         switching provider, switch providers, change provider, changing provider, \
         from another provider, from my old provider, pac code, stac code, porting code, \
         number transfer",
        "portabilidad, portar mi número, portar el número, conservar mi número, \
         mantener mi número, mantener el número, quedarme con mi número, pasar mi número, \
         cambiarme de compañía, cambiar de compañía, cambiar de operador, \
         cambiarme de operador, de otra compañía, de otro operador, operador actual, \
         código de portabilidad",
        "portabilité, porter mon numéro, garder mon numéro, conserver mon numéro, \
         conserver le numéro, garder le même numéro, transférer mon numéro, code rio, \
         numéro rio, changer d'opérateur, changement d'opérateur, nouvel opérateur, \
         ancien opérateur, opérateur actuel",
        "rufnummernmitnahme, rufnummer mitnehmen, nummer mitnehmen, meine nummer mitnehmen, \
         meine rufnummer mitnehmen, nummer behalten, rufnummer behalten, portierung, portieren, \
         anbieterwechsel, anbieter wechseln, vom alten anbieter, alter anbieter, \
         neuer anbieter, portierungscode",
        "przeniesienie numeru, przenieść numer, przeniesc numer, przeniosę numer, \
         przenosze numer, przenoszę numer, zachować numer, zachowac numer, zatrzymać numer, \
         ten sam numer, przejść do was, przejsc do was, zmiana operatora, zmienić operatora, \
         zmienic operatora, obecny operator, stary operator, nowy operator",
        "portabilidade, portar o número, portar meu número, manter meu número, manter o número, \
         manter o mesmo número, ficar com meu número, trazer meu número, transferir meu número, \
         mudar de operadora, trocar de operadora, outra operadora, operadora atual, \
         nova operadora",
        "portabilità, portabilita, portare il mio numero, portare il numero, \
         mantenere il mio numero, mantenere il numero, tenere il mio numero, \
         conservare il numero, passare a voi, cambiare operatore, cambio operatore, \
         nuovo operatore, vecchio operatore, operatore attuale, codice di migrazione",
    ]),
        concept!("device", "telecom", 0.7, false, [
        "phone, phones, handset, smartphone, mobile phone, cell phone, cellphone, iphone, \
         samsung, galaxy, router, modem, tablet, new phone, battery drains, battery life, \
         battery dies",
        "móvil, movil, teléfono, telefono, smartphone, iphone, samsung, router, módem, tablet, \
         móvil nuevo, la batería, se descarga",
        "téléphone, smartphone, iphone, samsung, routeur, modem, box clignote, tablette, \
         nouveau téléphone, la batterie, se décharge, mon portable, le portable, \
         téléphone portable",
        "handy, handys, telefon, smartphone, iphone, samsung, router, modem, tablet, \
         neues handy, akku, akku leer, entlädt sich",
        "komórk*, smartfon*, iphone*, samsung*, router*, modem*, tablet*, bateri*, \
         rozładowuje się, rozladowuje sie, telefon, telefonu, telefonem, telefonie, telefony",
        "celular, telemóvel, telefone, smartphone, aparelho, iphone, samsung, roteador, modem, \
         tablet, celular novo, a bateria, descarrega",
        "telefono, cellulare, smartphone, iphone, samsung, router, modem, tablet, \
         telefono nuovo, la batteria, si scarica",
    ]),
        concept!("reservation", "booking", 1.0, false, [
        "reservation, reservations, booking number, booking reference, booking confirmation, \
         reservation number, confirmation number, my stay, our stay, the stay, your stay, \
         a stay, per night, a night, one night, two nights, vacancy, accommodation, \
         booking.com, airbnb, expedia, three nights, four nights, few nights, couple of nights, \
         nights stay",
        "reserva, reservas, mi reserva, número de reserva, confirmación de reserva, \
         localizador, estancia, mi estancia, por noche, una noche, dos noches, tres noches, \
         alojamiento, hospedaje, booking, airbnb",
        "réservation, réservations, ma réservation, numéro de réservation, \
         confirmation de réservation, séjour, mon séjour, notre séjour, nuits, nuitée, nuitées, \
         par nuit, une nuit, deux nuits, trois nuits, hébergement, booking, airbnb",
        "reservierung, reservierungen, buchung, buchungen, buchungsnummer, buchungsbestätigung, \
         reservierungsnummer, gebucht, reserviert, aufenthalt, mein aufenthalt, \
         unser aufenthalt, übernachtung, übernachtungen, pro nacht, eine nacht, zwei nächte, \
         drei nächte, unterkunft, booking, airbnb, zimmerreservierung, vier nächte, die nächte",
        "moja rezerwacja, mojej rezerwacji, numer rezerwacji, potwierdzenie rezerwacji, \
         rezerwacja pokoju, rezerwację pokoju, rezerwacji pokoju, pobyt*, nocleg*, za noc, \
         jedną noc, jedna noc, dwie noce, trzy noce, booking, airbnb",
        "reserva, reservas, minha reserva, número da reserva, código da reserva, \
         confirmação da reserva, estadia, hospedagem, diária, diárias, =noites, por noite, \
         uma noite, duas noites, pernoite, booking, airbnb",
        "prenotazione, prenotazioni, la mia prenotazione, numero di prenotazione, \
         conferma di prenotazione, soggiorno, il soggiorno, pernottamento, pernottamenti, \
         le notti, tre notti, quattro notti, a notte, per notte, una notte, due notti, \
         alloggio, booking, airbnb",
    ]),
        concept!("checkin", "booking", 0.9, false, [
        "check-in, check in, checkin, check-out, check out, checkout, checking in, \
         checking out, early check-in, late check-out, late checkout, arrival time, \
         what time can we arrive, front desk, reception desk, at reception, self check-in, \
         online check-in, key collection, boarding pass",
        "check-in, check in, checkin, check-out, check out, checkout, hora de entrada, \
         hora de salida, hora de llegada, llegada tardía, salida tardía, late checkout, \
         registro de entrada, recepción, recogida de llaves, tarjeta de embarque",
        "check-in, check in, enregistrement, check-out, check out, départ tardif, \
         arrivée tardive, heure d'arrivée, heure de départ, arriver tard, libérer la chambre, \
         remise des clés, récupérer les clés, carte d'embarquement",
        "check-in, check in, einchecken, eingecheckt, check-out, check out, auschecken, \
         ausgecheckt, anreise, anreisezeit, abreise, abreisezeit, späte abreise, \
         später check-out, früher check-in, ankunftszeit, rezeption, schlüsselübergabe, \
         bordkarte",
        "zameldowan*, zamelduj*, wymeldowan*, wymelduj*, check-in, check in, check-out, \
         check out, godzina przyjazdu, godzina wyjazdu, późne wymeldowanie, odbiór kluczy, \
         karta pokładowa, odprawa",
        "check-in, check in, checkin, check-out, checkout, fazer checkout, fazer check-in, \
         horário de entrada, horário de saída, hora de chegada, chegada tardia, saída tardia, \
         late checkout, recepção, cartão de embarque, entrega das chaves",
        "check-in, check in, checkin, check-out, checkout, orario di arrivo, \
         orario di check-in, orario di partenza, arrivo in ritardo, arrivo tardi, \
         partenza posticipata, late checkout, reception, consegna delle chiavi, carta d'imbarco",
    ]),
        concept!("room", "booking", 0.8, false, [
        "room, rooms, double room, single room, twin room, family room, bed, beds, extra bed, \
         cot, crib, sea view, balcony, minibar, towels, air conditioning, aircon, =heating, \
         room service, housekeeping, key card, room key, room number, room upgrade, \
         upgrade my room, upgrade the room, junior suite, honeymoon suite",
        "habitación, habitacion, habitaciones, habitación doble, habitación individual, cama, \
         camas, cama supletoria, cama extra, cuna, vistas al mar, balcón, minibar, toallas, \
         aire acondicionado, calefacción, servicio de habitaciones, limpieza de habitación, \
         llave de la habitación, tarjeta de la habitación, suite junior, suite nupcial",
        "chambre, chambres, chambre double, chambre simple, chambre familiale, lit, lits, \
         lit supplémentaire, lit bébé, vue sur la mer, vue mer, balcon, minibar, serviettes, \
         climatisation, clim, chauffage, service en chambre, femme de chambre, \
         carte de la chambre, clé de la chambre, surclassement, ménage de la chambre, \
         faire le ménage, suite junior",
        "zimmer, doppelzimmer, einzelzimmer, familienzimmer, bett, zustellbett, babybett, \
         kinderbett, meerblick, balkon, minibar, handtücher, klimaanlage, heizung, \
         zimmerservice, zimmerreinigung, zimmerschlüssel, schlüsselkarte, zimmernummer, \
         zimmerupgrade",
        "pokój, pokoju, pokoje, pokoi, pokojem, pokoj, pokój dwuosobowy, dwuosobowy, \
         jednoosobowy, apartament*, łóżko, łóżka, lozko, lozka, dostawka, łóżeczko, \
         widok na morze, balkon*, minibar*, ręczniki, reczniki, klimatyzacj*, ogrzewan*, \
         sprzątanie pokoju, klucz do pokoju, karta do pokoju, numer pokoju",
        "quarto duplo, quarto de casal, quarto individual, cama, camas, cama extra, berço, \
         vista para o mar, vista mar, varanda, frigobar, minibar, toalhas, ar condicionado, \
         aquecimento, serviço de quarto, arrumação do quarto, chave do quarto, \
         cartão do quarto, o quarto, um quarto, no quarto, do quarto, meu quarto, nosso quarto, \
         os quartos, dois quartos, três quartos, suíte master",
        "la camera, una camera, in camera, della camera, nostra camera, mia camera, \
         camera doppia, camera singola, camera matrimoniale, letto aggiuntivo, \
         letto matrimoniale, un letto, due letti, i letti, letti singoli, culla, vista mare, \
         balcone, minibar, asciugamani, aria condizionata, riscaldamento, servizio in camera, \
         chiave della camera, tessera della camera, le camere, delle camere, due camere, \
         suite junior, le stanze, due stanze, la stanza, una stanza, nella stanza, della stanza",
    ]),
        concept!("booking_change", "booking", 0.9, false, [
        "extend my stay, extend our stay, extend the stay, extra night, one more night, \
         additional night, another night, stay longer, shorten my stay, shorten our stay, \
         leave a day early, arrive later, arrive a day later, arriving later, \
         arriving a day late, arrive earlier, arrive a day early, arriving earlier, \
         add a guest, additional guest, extra guest, number of guests, guest name, stay dates, \
         travel dates, booking dates, dates of my stay, dates of our stay, arrival date, \
         departure date, check-in date, check-out date",
        "una noche más, noche extra, noche adicional, alargar la estancia, ampliar la estancia, \
         prolongar la estancia, alargar mi estancia, acortar la estancia, llegamos más tarde, \
         llegamos un día más tarde, llegaremos más tarde, llegar más tarde, llegar antes, \
         un día más tarde, un día antes, una persona más, huésped adicional, persona adicional, \
         fechas de la reserva, fechas de la estancia, fechas del viaje, fecha de llegada, \
         fecha de salida, fecha de entrada",
        "une nuit de plus, une nuit supplémentaire, nuit supplémentaire, prolonger mon séjour, \
         prolonger notre séjour, prolonger le séjour, écourter, écourter notre séjour, \
         arriver plus tard, arriver plus tôt, un jour plus tard, un jour plus tôt, \
         ajouter une personne, personne supplémentaire, dates du séjour, dates de séjour, \
         dates de la réservation, date d'arrivée, date de départ",
        "reisedaten, anreisedatum, abreisedatum, eine nacht länger, eine nacht mehr, \
         eine weitere nacht, zusätzliche nacht, extra nacht, nacht verlängern, \
         aufenthalt verlängern, aufenthalt verkürzen, später anreisen, früher anreisen, \
         später ankommen, früher ankommen, einen tag später, einen tag früher, \
         zusätzliche person, weitere person",
        "inne daty, nowe daty, innym terminie, przedłużyć pobyt, przedluzyc pobyt, \
         przedłużenie pobytu, skrócić pobyt, jedna noc więcej, dodatkowa noc, dodatkową noc, \
         kolejna noc, kolejną noc, przyjedziemy później, przyjedziemy wcześniej, dzień później, \
         dzień wcześniej, dodatkowa osoba, dodatkową osobę, data przyjazdu, data wyjazdu, \
         termin pobytu, terminu pobytu",
        "mais uma noite, uma noite a mais, noite extra, diária extra, mais uma diária, \
         prolongar a estadia, estender a estadia, estender minha estadia, encurtar a estadia, \
         chegar mais tarde, chegar mais cedo, chegamos mais tarde, um dia depois, um dia antes, \
         antecipar a chegada, adiar a chegada, pessoa extra, hóspede adicional, \
         datas da reserva, datas da estadia, data de chegada, data de saída, data de entrada",
        "le date, una notte in più, una notte in piu, notte in più, notte extra, \
         notte aggiuntiva, prolungare il soggiorno, allungare il soggiorno, \
         estendere il soggiorno, accorciare il soggiorno, anticipare l'arrivo, \
         posticipare l'arrivo, ritardare l'arrivo, arrivare più tardi, arrivare prima, \
         un giorno prima, un giorno dopo, persona in più, ospite aggiuntivo, \
         date del soggiorno, date della prenotazione, data di arrivo, data di partenza",
    ]),
        concept!("facilities", "facilities", 0.8, false, [
        "pool, swimming pool, spa, sauna, steam room, gym, fitness centre, fitness center, \
         parking, car park, parking space, garage, restaurant, hotel bar, breakfast, \
         breakfast included, shuttle, airport shuttle, laundry, playground, kids club, terrace, \
         jacuzzi, hot tub, =elevator, massag*",
        "piscina, spa, sauna, gimnasio, aparcamiento, parking, garaje, plaza de parking, \
         restaurante, desayuno, desayuno incluido, bufé, traslado al aeropuerto, \
         servicio de traslado, lavandería, parque infantil, club infantil, terraza, jacuzzi, \
         ascensor, hamacas, masaj*",
        "piscine, spa, sauna, hammam, salle de sport, salle de gym, fitness, parking, \
         stationnement, garage, restaurant, petit-déjeuner, petit déjeuner, petit dej, navette, \
         navette aéroport, blanchisserie, laverie, club enfants, aire de jeux, terrasse, \
         jacuzzi, ascenseur, transats, massag*",
        "pool, schwimmbad, hallenbad, spa, wellness, wellnessbereich, sauna, fitnessraum, \
         fitnessstudio, gym, parkplatz, parkplätze, parkhaus, tiefgarage, garage, restaurant, \
         frühstück, frühstücksbuffet, shuttle, flughafentransfer, wäscheservice, kinderclub, \
         spielplatz, terrasse, whirlpool, aufzug, fahrstuhl, massag*",
        "basen*, spa, saun*, silowni*, fitness, parking*, garaz*, restauracj*, sniadani*, \
         transfer z lotniska, pralni*, plac zabaw, klub dla dzieci, taras*, jacuzzi, masaz*, \
         winda, windy, windą",
        "piscina, spa, sauna, academia, ginásio, estacionamento, garagem, \
         vaga de estacionamento, restaurante, café da manhã, pequeno-almoço, pequeno almoço, \
         traslado, lavanderia, parquinho, clube infantil, terraço, jacuzzi, hidromassagem, \
         elevador, massag*",
        "piscina, spa, sauna, bagno turco, palestra, parcheggio, posto auto, garage, \
         autorimessa, ristorante, colazione, colazione inclusa, navetta, navetta aeroporto, \
         lavanderia, area giochi, miniclub, terrazza, idromassaggio, jacuzzi, ascensore, \
         massag*",
    ]),
        concept!("event", "events", 0.9, false, [
        "event, events, wedding, weddings, wedding reception, conference, conferences, seminar, \
         meeting room, function room, conference room, birthday party, private party, \
         corporate event, company event, christmas party, team building, gala, guests, \
         catering, group booking, celebration, banquet hall, a venue, the venue, event venue, \
         wedding venue",
        "evento, eventos, boda, bodas, nos casamos, banquete, celebración, celebrar, fiesta, \
         cumpleaños, conferencia, congreso, seminario, sala de reuniones, salón de eventos, \
         invitados, catering, comida de empresa, cena de empresa, evento de empresa, \
         team building, nuestra boda, vamos a casarnos",
        "événement, évènement, événements, mariage, mariages, séminaire, conférence, une salle, \
         salle de réunion, salle de réception, salle de séminaire, salle de conférence, \
         location de salle, louer une salle, fête, anniversaire, soirée d'entreprise, \
         soirée privée, invités, team building, gala, salle de banquet, service traiteur, \
         un traiteur",
        "veranstaltung, veranstaltungen, event, events, hochzeit, hochzeiten, hochzeitsfeier, \
         feier, feiern, geburtstag, geburtstagsfeier, firmenfeier, weihnachtsfeier, konferenz, \
         tagung, seminar, seminarraum, tagungsraum, konferenzraum, bankett, gäste, catering, \
         teambuilding, festsaal, saal",
        "wydarzen*, event, eventy, eventu, impreza, imprezy, imprezę, imprez*, wesel*, slub*, \
         przyjęcie, przyjecie, urodzin*, konferencj*, szkoleni*, seminari*, sala konferencyjna, \
         sali konferencyjnej, salę konferencyjną, macie salę, macie sale, wynająć salę, \
         wynajac sale, bankiet*, gości, goście, catering*, impreza firmowa, wigilia firmowa",
        "evento, eventos, casamento, casamentos, festa, festas, festa de 15 anos, aniversário, \
         confraternização, conferência, congresso, seminário, palestra, sala de reunião, salão, \
         salão de festas, banquete, convidados, buffet, catering, evento corporativo, formatura",
        "evento, eventi, matrimonio, matrimoni, nozze, pranzo di nozze, festa, feste, \
         compleanno, cerimonia, conferenza, convegno, congresso, seminario, sala riunioni, \
         sala meeting, salone, banchetto, invitati, ospiti, catering, rinfresco, \
         evento aziendale, cena aziendale",
    ]),
        concept!("schedule", "schedule", 0.8, false, [
        "timetable, timetables, the schedule, bus schedule, train schedule, class schedule, \
         flight schedule, departure times, departure time, departures, arrival times, \
         bus times, train times, next bus, next train, last bus, last train, first bus, \
         first train, what time does the, itinerary, route, routes, bus stop, platform, \
         calendar",
        "horario de trenes, horario de autobuses, horario de salidas, horarios de salida, \
         horario de clases, horarios de clases, salidas, =llegadas, próxima salida, \
         próximo tren, próximo autobús, último tren, último autobús, primer tren, frecuencia, \
         itinerario, recorrido, ruta, rutas, cuadrante, calendario, la parada, \
         parada de autobús, parada del autobús",
        "horaires de train, horaires des trains, horaires de bus, horaires des bus, \
         horaires de départ, emploi du temps, le planning, mon planning, calendrier, \
         grille horaire, départs, prochain train, prochain bus, dernier train, dernier bus, \
         premier train, fréquence, itinéraire, trajet, correspondance, ligne de bus, \
         arrêt de bus, quai",
        "fahrplan, fahrpläne, fahrplanauskunft, zeitplan, stundenplan, kursplan, dienstplan, \
         abfahrt, abfahrten, abfahrtszeit, abfahrtszeiten, ankunftszeiten, nächster zug, \
         nächster bus, letzter zug, letzter bus, erster zug, takt, zugverbindung, \
         busverbindung, route, strecke, haltestelle, gleis, kalender, terminplan, fahrkarte",
        "rozkład jazdy, rozkladu jazdy, rozkład, rozklad, harmonogram*, grafik, grafiku, \
         plan zajęć, plan lekcji, odjazd*, godziny odjazdu, następny pociąg, następny autobus, \
         ostatni autobus, ostatni pociąg, pierwszy pociąg, częstotliwość, trasa, trasy, \
         przystanek, peron, kalendarz*",
        "horário dos ônibus, horários de ônibus, horário do trem, horários dos trens, \
         horário das aulas, grade horária, grade de horários, cronograma, calendário, \
         =chegadas, próximo ônibus, próximo trem, último ônibus, último trem, primeiro ônibus, \
         frequência, itinerário, trajeto, linha de ônibus, na parada, a parada, \
         parada de ônibus",
        "orari dei treni, orario dei treni, orari degli autobus, orari dei bus, \
         orario delle lezioni, orari delle lezioni, tabella oraria, calendario, partenze, \
         prossimo treno, prossimo autobus, ultimo treno, ultimo autobus, primo treno, \
         frequenza, itinerario, percorso, tragitto, =fermata, binario, coincidenza",
    ]),
        concept!("lost_item", "lost_found", 1.0, false, [
        "lost and found, lost property, left behind, left my, left our, left it in, \
         left them in, left in the room, left in my room, forgot my, forgot our, forgot a, \
         forgot the, forgotten my, i lost, we lost, lost my, lost our, have lost, misplaced, \
         can't find my, cannot find my, did you find, have you found, has anyone found, \
         anyone found, was found, been found, personal belongings, =belongings",
        "objetos perdidos, objeto perdido, perdido, he perdido, perdí, perdi, se me olvidó, \
         se me olvido, me olvidé, me olvide, olvidé mi, olvide mi, me dejé, me deje, \
         dejé olvidado, dejé olvidada, me he dejado, nos dejamos, nos hemos dejado, \
         habéis encontrado, han encontrado, alguien ha encontrado, extraviado, extraviada, \
         mis pertenencias",
        "objets trouvés, objet trouvé, oublié mon, oublié ma, oublié mes, oublié un, \
         oublié une, oublié des, j'ai oublié mon, j'ai oublié ma, j'ai perdu, nous avons perdu, \
         on a perdu, perdu mon, perdu ma, perdu mes, laissé mon, laissé ma, laissé mes, \
         laissé dans, avez-vous trouvé, vous avez trouvé, quelqu'un a trouvé, \
         auriez-vous trouvé, mes affaires, j'ai égaré, égaré mon, égaré ma, égaré mes",
        "fundbüro, fundsache, fundsachen, verloren, liegen lassen, liegengelassen, \
         liegen gelassen, im zimmer vergessen, vergessen im, vergessen in, bei euch vergessen, \
         bei ihnen vergessen, abhandengekommen, meine sachen",
        "zgubi*, zostawil*, zostawiłam, zostawiłem, zapomnial*, biuro rzeczy znalezionych, \
         rzeczy znalezione, znalezion*, znaleźliście, znalezliscie, zaginion*, moje rzeczy",
        "achados e perdidos, perdido, perdida, perdi meu, perdi minha, perdi o, perdi a, \
         perdi um, perdi uma, esqueci meu, esqueci minha, esqueci o, esqueci a, esqueci um, \
         esqueci uma, deixei meu, deixei minha, vocês acharam, alguém achou, alguém encontrou, \
         encontraram, meus pertences, extraviado",
        "oggetti smarriti, oggetto smarrito, smarrito, smarrita, ho perso, abbiamo perso, \
         dimenticato il, dimenticato la, dimenticato un, dimenticata, dimenticato in camera, \
         lasciato il mio, lasciato la mia, lasciato in camera, avete trovato, \
         avete mica trovato, qualcuno ha trovato, ritrovato, le mie cose, effetti personali, \
         l'ha perso, ha perso, hai perso, perso il, perso la, perso un, perso una, \
         perso il mio, perso la mia",
    ]),
        concept!("upgrade", "sales", 0.9, false, [
        "upgrade, upgrades, upgrading, upgraded, higher plan, bigger plan, better plan, \
         premium plan, pro plan, more seats, add seats, add users, more users, add a line, \
         extra line, new line, additional line, more data, more gigs, enterprise plan, \
         go premium",
        "upgrade, mejorar mi plan, mejorar el plan, subir de plan, plan superior, \
         ampliar el plan, ampliar mi plan, más usuarios, añadir usuarios, más licencias, \
         otra línea, línea adicional, nueva línea, añadir una línea, más datos, más gigas, \
         pasar a premium",
        "upgrade, passer à la formule supérieure, formule supérieure, offre supérieure, \
         forfait supérieur, monter en gamme, montée en gamme, plus d'utilisateurs, \
         ajouter des utilisateurs, ligne supplémentaire, nouvelle ligne, ajouter une ligne, \
         plus de data, passer au forfait, passer à l'offre",
        "upgrade, upgraden, hochstufen, höherstufen, höheren tarif, größeren tarif, \
         größeres paket, besseren tarif, mehr nutzer, weitere nutzer, mehr lizenzen, \
         zusätzliche lizenz, weitere leitung, zweite leitung, neue leitung, \
         zusätzliche leitung, mehr datenvolumen, mehr gb",
        "upgrade, wyższy plan, wyzszy plan, lepszy plan, większy pakiet, wiekszy pakiet, \
         lepszy pakiet, rozszerzyć plan, rozszerzen*, więcej użytkowników, wiecej uzytkownikow, \
         dodatkowa linia, drugi numer, więcej danych, więcej gb, wyższy pakiet",
        "upgrade, melhorar o plano, subir de plano, plano superior, plano maior, \
         aumentar o plano, mais usuários, adicionar usuários, mais licenças, linha adicional, \
         nova linha, outra linha, adicionar uma linha, mais dados, mais gigas, mais internet, \
         migrar de plano",
        "upgrade, piano superiore, piano più alto, offerta superiore, più utenti, \
         aggiungere utenti, più licenze, linea aggiuntiva, nuova linea, un'altra linea, \
         aggiungere una linea, più giga, piu giga, più dati, passare a un'offerta, \
         passare all'offerta",
    ]),
        concept!("downgrade", "cancel", 0.9, false, [
        "downgrade, downgrading, downgraded, lower plan, cheaper plan, smaller plan, \
         fewer seats, reduce seats, remove seats, fewer users, reduce my plan, scale down, \
         move down to, pause my subscription, pause my account, pause my membership",
        "downgrade, bajar de plan, plan más barato, plan inferior, reducir el plan, \
         reducir usuarios, menos usuarios, menos licencias, pausar la suscripción",
        "downgrade, rétrograder, formule inférieure, offre inférieure, forfait moins cher, \
         formule moins chère, réduire mon abonnement, moins d'utilisateurs, mettre en pause",
        "downgrade, downgraden, herunterstufen, runterstufen, runter, kleineren tarif, \
         kleineres paket, günstigeren tarif, günstigeres paket, weniger nutzer, \
         weniger lizenzen, tarif reduzieren, pausieren",
        "downgrade, niższy plan, nizszy plan, tańszy plan, tanszy plan, mniejszy pakiet, \
         tańszy pakiet, tanszy pakiet, zmniejszyć plan, obniżyć plan, mniej użytkowników, \
         mniej licencji, zawiesić subskrypcję",
        "downgrade, rebaixar o plano, plano mais barato, plano inferior, diminuir o plano, \
         reduzir o plano, menos usuários, menos licenças, pausar a assinatura",
        "downgrade, piano inferiore, piano più economico, piano piu economico, \
         ridurre il piano, abbassare il piano, meno utenti, meno licenze, \
         sospendere l'abbonamento",
    ]),
        concept!("plan", "sales", 0.8, false, [
        "=plan, =plans, pricing plan, price plan, tariff, tariffs, subscription plan, \
         monthly plan, annual plan, yearly plan, basic plan, business plan, free plan, \
         free tier, which plan, data plan, phone plan, mobile plan, prepaid, pay as you go, \
         sim only, unlimited, unlimited data, data allowance, enterprise plan, enterprise tier, \
         enterprise version, pricing tier, which tier, higher tier, lower tier",
        "plan, tarifa, plan mensual, plan anual, plan básico, plan premium, plan empresa, \
         plan gratuito, qué plan, tarifa de datos, tarifa móvil, prepago, ilimitado, \
         ilimitados, datos ilimitados, llamadas ilimitadas, gigas, fibra y móvil",
        "forfait, forfaits, la formule, une formule, cette formule, formule pro, \
         formule premium, formules, plan, plans, formule mensuelle, formule annuelle, \
         forfait mobile, forfait illimité, illimité, illimitée, go de, de go, giga, gigas, \
         prépayé, offre pro, offre entreprise, formule gratuite",
        "tarif, tarife, tarifs, plan, pläne, preismodell, preisplan, flatrate, allnet-flat, \
         allnet flat, datenvolumen, datentarif, handytarif, mobilfunktarif, prepaid, \
         prepaidkarte, unbegrenzt, unbegrenztes, unbegrenzte, unlimited, gigabyte, \
         enterprise-tarif, enterprise plan",
        "plan, planu, planem, plany, planów, pakiet*, taryf*, na kartę, prepaid*, bez limitu, \
         nielimitowan*, gb, giga, gigabajt*, plan business, plan enterprise, wersja premium, \
         pakiet premium",
        "plano, planos, plano mensal, plano anual, plano básico, plano empresarial, \
         plano família, qual plano, pacote de dados, franquia de dados, pré-pago, pós-pago, \
         ilimitado, ilimitada, internet ilimitada, ligações ilimitadas, gigas, giga",
        "piano, piani, piano tariffario, tariffa, offerta, le offerte, vostre offerte, \
         ricaricabile, giga, illimitato, illimitati, minuti illimitati, giga illimitati, \
         piano base, piano business, piano premium, piano gratuito, bundle",
    ]),
        concept!("discount", "sales", 0.9, false, [
        "discount, discounts, discounted, sale, on sale, special offer, special offers, \
         any offers, current offers, good deal, best deal, any deals, promotion, promotions, \
         student discount, nonprofit, nonprofits, non-profit, charity discount, \
         educational discount, volume discount, bulk discount, loyalty discount, reduced price, \
         price reduction, black friday, cyber monday, clearance, bargain, price match",
        "descuento, descuentos, rebaja, rebajas, rebajado, ofertas, en oferta, promoción, \
         promociones, más barato, precio especial, descuento para estudiantes, ong, ongs, \
         sin ánimo de lucro, black friday, outlet, liquidación, 2x1, chollo",
        "réduction, réductions, remise, remises, rabais, promotion, promotions, soldes, \
         en solde, prix réduit, prix spécial, offre spéciale, moins cher, tarif réduit, \
         tarif étudiant, réduction étudiant, ristourne, black friday, bon plan",
        "rabatt, rabatte, ermäßigung, preisnachlass, nachlass, sonderangebot, aktion, aktionen, \
         im angebot, reduziert, reduzierter preis, günstiger, billiger, schnäppchen, sale, \
         studentenrabatt, mengenrabatt, gemeinnützig, bildungsrabatt, black friday, skonto",
        "rabat*, zniżk*, zniżek, znizk*, znizek, promocj*, promo, wyprzedaż*, wyprzedaz*, \
         obnizk*, black friday, dla studentów, dla organizacji, non-profit, upust*, \
         taniej się da, będzie taniej, taniej niż",
        "desconto, descontos, promoção, promoções, promocao, ofertas, em oferta, liquidação, \
         saldos, mais barato, preço especial, black friday, desconto para estudantes, ong, \
         ongs, sem fins lucrativos, abatimento, pechincha",
        "sconto, sconti, scontato, scontata, promozione, promozioni, offerta speciale, \
         in offerta, saldi, ribasso, prezzo ridotto, più economico, sconto studenti, onlus, \
         no profit, black friday, agevolazione, agevolazioni",
    ]),
        concept!("promo_code", "sales", 1.0, false, [
        "promo code, promo, promotional code, discount code, coupon, coupon code, coupons, \
         voucher, vouchers, voucher code, gift card, gift voucher, gift certificate, \
         referral code, referral, apply the code, redeem, redeemed, store credit",
        "código promocional, codigo promocional, código de descuento, codigo de descuento, \
         cupón, cupon, cupones, vale descuento, vale regalo, un vale, tarjeta regalo, \
         cheque regalo, código de referido, canjear, canjeo, aplicar el código, \
         aplicar el cupón",
        "code promo, code promotionnel, code de réduction, code réduction, bon de réduction, \
         coupon, bon d'achat, bon cadeau, carte cadeau, chèque cadeau, code parrainage, \
         parrainage, un avoir, appliquer le code, utiliser le code",
        "gutscheincode, gutschein, gutscheine, rabattcode, aktionscode, promo-code, promocode, \
         coupon, geschenkgutschein, geschenkkarte, wertgutschein, einlösen, eingelöst, \
         code einlösen, empfehlungscode",
        "kod rabatowy, kodu rabatowego, kod promocyjny, kodu promocyjnego, kupon*, voucher*, \
         karta podarunkowa, bon podarunkowy, bonu podarunkowego, bon rabatowy, kod polecający, \
         zrealizować kod, zrealizowac kod, wykorzystać kod",
        "código promocional, codigo promocional, cupom, cupons, cupom de desconto, \
         código de desconto, vale-presente, vale presente, cartão presente, cartão-presente, \
         voucher, código de indicação, resgatar o cupom, aplicar o cupom, cupom inválido",
        "codice promozionale, codice sconto, coupon, buono sconto, buono regalo, buoni sconto, \
         carta regalo, gift card, voucher, codice amico, codice invito, riscattare, \
         applicare il codice, codice non valido",
    ]),
        concept!("sales", "sales", 0.8, false, [
        "sales, sales team, sales rep, salesperson, account manager, talk to sales, \
         contact sales, for my team, for our team, for our company, team of, licenses, \
         licences, =seats, per user, per seat, volume pricing, enterprise pricing, \
         custom pricing, procurement, reseller, wholesale, b2b, business customer",
        "=ventas, equipo de ventas, departamento comercial, equipo comercial, un comercial, \
         hablar con ventas, hablar con un comercial, para mi equipo, con mi equipo, \
         para nuestro equipo, para mi empresa, para nuestra empresa, licencias, por usuario, \
         precio por usuario, al por mayor, =mayorista, distribuidor, revendedor",
        "=ventes, équipe commerciale, service commercial, un commercial, \
         parler à un commercial, pour mon équipe, pour notre équipe, pour mon entreprise, \
         pour notre entreprise, licences, par utilisateur, prix par utilisateur, \
         tarif entreprise, en gros, grossiste, revendeur, partenariat, devenir partenaire, \
         clients professionnels, pour les écoles",
        "vertrieb, vertriebsteam, verkaufsteam, sales, für mein team, für unser team, \
         für unser unternehmen, für unsere firma, lizenzen, pro nutzer, pro benutzer, pro user, \
         preis pro nutzer, großkunde, großkunden, firmenkunde, firmenkunden, geschäftskunde, \
         geschäftskunden, wiederverkäufer, großhandel, partnerprogramm",
        "dział sprzedaży, dzial sprzedazy, sprzedaż, sprzedaz, handlowiec, handlowca, \
         opiekun handlowy, dla mojego zespołu, dla zespołu, dla firmy, dla naszej firmy, \
         licencj*, na użytkownika, za użytkownika, za stanowisko, hurtow*, dystrybutor*, \
         partner handlowy, klient biznesowy, oferta dla firm, b2b",
        "vendas, equipe de vendas, time de vendas, setor comercial, falar com vendas, \
         falar com um vendedor, vendedor, consultor comercial, para minha equipe, \
         para nossa equipe, para minha empresa, por usuário, licenças, atacado, revenda, \
         revendedor, distribuidor, parceria, cliente empresarial",
        "vendite, ufficio vendite, ufficio commerciale, un commerciale, \
         parlare con un commerciale, per il mio team, per il nostro team, per la mia azienda, \
         per la nostra azienda, licenze, per utente, prezzo per utente, all'ingrosso, \
         rivenditore, distributore, partnership, clienti business, offerta aziendale",
    ]),
        concept!("membership", "subscription", 0.9, false, [
        "membership, memberships, a member, become a member, as a member, member card, \
         member number, members area, membership card, membership number, membership fee, \
         loyalty card, loyalty program, loyalty programme, loyalty points, reward points, \
         my points, bonus points, join the club, club, vip, gym membership, \
         renew my membership, freeze my membership, reward program, rewards program, \
         rewards card",
        "socio, socios, hacerme socio, carné de socio, carnet de socio, tarjeta de socio, \
         número de socio, tarjeta de fidelidad, programa de fidelidad, programa de puntos, \
         mis puntos, puntos acumulados, cuota de socio, cuota mensual, miembro, club, vip",
        "adhérent, adhérente, adhérents, membre, devenir membre, carte de membre, \
         carte d'adhérent, carte de fidélité, programme de fidélité, points de fidélité, \
         mes points, cotisation, cotisation annuelle, numéro d'adhérent, numéro de membre, \
         renouveler mon adhésion, club, vip",
        "mitglied, mitglieder, mitgliedsbeitrag, mitgliedsnummer, mitgliedskarte, \
         mitgliedsausweis, kundenkarte, treuekarte, bonusprogramm, treueprogramm, bonuspunkte, \
         meine punkte, payback, jahresbeitrag, mitglied werden, club, vip",
        "członek, czlonek, członkiem, czlonkiem, czlonkowsk*, karta członkowska, \
         karta stałego klienta, karta lojalnościowa, program lojalnościowy, moje punkty, \
         punkty lojalnościowe, składka członkowska, karnet, karnetu, numer członkowski, klub, \
         vip",
        "sócio, sócios, associado, associada, membro, membros, carteirinha, cartão de sócio, \
         cartão fidelidade, programa de fidelidade, meus pontos, anuidade, número de sócio, \
         virar sócio, plano de sócio, clube, vip",
        "tessera, tessera socio, tessera fedeltà, carta fedeltà, programma fedeltà, \
         punti fedeltà, i miei punti, socio, soci, membro, membri, iscritto, iscritta, \
         quota associativa, quota annuale, numero di tessera, rinnovare la tessera, club, vip",
    ]),
        concept!("data_privacy", "privacy", 1.0, false, [
        "gdpr, ccpa, privacy, privacy policy, personal data, personal information, \
         data protection, data request, data deletion, delete my data, erase my data, \
         right to be forgotten, subject access request, data access request, data breach, \
         data leak, cookie policy, cookie banner, accept cookies, opt out, opt-out, \
         marketing emails, third party, third parties, share my data, sell my data, dpo, \
         my consent, give consent, withdraw consent, withdraw my consent, consent form",
        "rgpd, lopd, gdpr, privacidad, política de privacidad, datos personales, mis datos, \
         mis datos personales, protección de datos, borrar mis datos, eliminar mis datos, \
         suprimir mis datos, derecho al olvido, derecho de acceso, brecha de datos, \
         filtración de datos, cookies, consentimiento, publicidad, correos publicitarios, \
         a terceros, con terceros, de terceros, ceder mis datos, vender mis datos",
        "rgpd, gdpr, cnil, confidentialité, politique de confidentialité, données personnelles, \
         mes données, mes données personnelles, protection des données, supprimer mes données, \
         effacer mes données, droit à l'oubli, droit d'accès, fuite de données, \
         violation de données, cookies, consentement, des tiers, à des tiers, \
         vendre mes données, partager mes données, prospection, démarchage",
        "dsgvo, datenschutz, datenschutzerklärung, datenschutzbeauftragter, \
         personenbezogene daten, persönliche daten, meine daten, daten löschen, datenlöschung, \
         datenauskunft, auskunftsersuchen, auskunftsanfrage, recht auf vergessenwerden, \
         datenleck, datenpanne, cookies, einwilligung, an dritte, weitergabe meiner daten, \
         werbung, werbemails",
        "rodo, gdpr, prywatnos*, polityka prywatności, dane osobowe, danych osobowych, \
         moje dane, moich danych, ochrona danych, ochrony danych, usunięcie danych, \
         usunąć moje dane, usuń moje dane, prawo do bycia zapomnianym, wyciek danych, cookies, \
         ciasteczka, zgoda na przetwarzanie, przetwarzanie danych, przetwarzania danych, \
         osoby trzecie, podmioty trzecie, marketing*",
        "lgpd, rgpd, gdpr, privacidade, política de privacidade, dados pessoais, meus dados, \
         meus dados pessoais, proteção de dados, apagar meus dados, excluir meus dados, \
         eliminar meus dados, direito ao esquecimento, vazamento de dados, fuga de dados, \
         cookies, consentimento, a terceiros, com terceiros, de terceiros, vender meus dados, \
         compartilhar meus dados, dpo",
        "gdpr, privacy, informativa sulla privacy, dati personali, i miei dati, miei dati, \
         protezione dei dati, trattamento dei dati, cancellare i miei dati, \
         cancellazione dei dati, diritto all'oblio, diritto di accesso, violazione dei dati, \
         fuga di dati, cookie, cookies, consenso, a terzi, cedere i miei dati, garante privacy, \
         dpo",
    ]),
        concept!("contract", "contract", 0.9, false, [
        "contract, contracts, agreement, terms and conditions, terms of service, minimum term, \
         contract term, fixed term, commitment period, lock-in, lock in period, notice period, \
         early termination, termination fee, exit fee, renewal, auto-renewal, \
         automatic renewal, renews automatically, end of contract, contract ends, \
         sign the contract, breach of contract",
        "contrato, contratos, permanencia, periodo de permanencia, compromiso de permanencia, \
         condiciones generales, términos y condiciones, condiciones del contrato, cláusula, \
         penalización, penalización por baja, renovación, renovación automática, se renueva, \
         fin del contrato, firmar el contrato, preaviso, rescindir, rescisión, vencimiento",
        "contrat, contrats, engagement, période d'engagement, sans engagement, \
         durée d'engagement, conditions générales, cgv, cgu, préavis, frais de résiliation, \
         résiliation anticipée, renouvellement, reconduction, tacite reconduction, \
         fin de contrat, fin du contrat, signer le contrat, échéance",
        "vertrag, verträge, vertrags, vertragslaufzeit, laufzeit, mindestlaufzeit, \
         vertragsende, vertragsverlängerung, kündigungsfrist, agb, geschäftsbedingungen, \
         klausel, vertragsstrafe, automatische verlängerung, verlängert sich, unterschreiben, \
         unterschrieben, vertragsbedingungen, vertragsnummer",
        "umowa, umowy, umowę, umową, okres umowy, czas trwania umowy, okres wypowiedzenia, \
         regulamin*, warunki umowy, aneks*, kara umowna, kary umownej, przedłużenie umowy, \
         automatyczne przedłużenie, koniec umowy, podpisa*, zobowiazan*, lojalk*",
        "contrato, contratos, fidelidade, fidelização, período de fidelização, \
         multa rescisória, multa por cancelamento, cláusula, termos e condições, \
         condições gerais, renovação, renovação automática, fim do contrato, \
         assinar o contrato, rescisão, rescindir, aviso prévio, vigência",
        "contratto, contratti, vincolo, vincolo contrattuale, durata del contratto, \
         condizioni generali, termini e condizioni, clausola, penale, penali, costi di recesso, \
         recesso, rinnovo, rinnovo automatico, tacito rinnovo, scadenza del contratto, \
         fine del contratto, firmare il contratto, preavviso",
    ]),
        concept!("terminate", "cancel", 1.0, false, [
        "=terminated, =termination, end my contract, end the contract, end my subscription, \
         end my service, stop my service, close my line, deactivate my line, \
         disconnect my line, disconnect my service, leave your service, terminate my contract, \
         terminate the contract, terminate my account, terminate my subscription, \
         terminate the service",
        "dar de baja, darme de baja, darse de baja, darnos de baja, darle de baja, la baja, \
         solicitar la baja, pedir la baja, tramitar la baja, baja del servicio, \
         baja de la línea, finalizar el contrato, terminar el contrato, cerrar la línea",
        "résilier, résilie, résiliez, résilié, résiliée, résiliation, mettre fin à mon contrat, \
         mettre fin à mon abonnement, arrêter mon abonnement, arrêter mon contrat, \
         stopper mon abonnement, clôturer, clôture, me désabonner, se désabonner, \
         désabonnement, me désinscrire",
        "kündigen, kündige, kündigt, gekündigt, kündigung, kündigungen, kündigungsbestätigung, \
         vertrag beenden, abo beenden, abonnement beenden, mitgliedschaft beenden, \
         konto auflösen, austreten, austritt",
        "wypowiedz*, wypowiedzenie umowy, rozwiązanie umowy, rozwiązać umowę, rozwiazac umowe, \
         zakończyć umowę, zakonczyc umowe, zakoncz*, dezaktyw*, wyrejestr*",
        "encerrar, encerramento, encerrar a assinatura, encerrar o contrato, \
         rescindir o contrato, desativar a linha, sair do plano, terminar o contrato, \
         desligar o serviço, descadastrar",
        "recedere, chiudere il contratto, chiudere la linea, =cessare, cessazione, \
         cessazione del servizio, terminare il contratto, interrompere il servizio, \
         disattivare, disattivazione, disiscrivermi, disiscrizione",
    ]),
        concept!("warranty", "service", 1.0, false, [
        "warranty, warranties, guarantee, guaranteed, under warranty, out of warranty, \
         warranty claim, extended warranty, warranty period, still under warranty, \
         lifetime warranty, manufacturer warranty, manufacturer's warranty, applecare",
        "garantía, garantias, en garantía, fuera de garantía, sigue en garantía, \
         periodo de garantía, ampliación de garantía, garantía extendida, cubre la garantía, \
         reclamar la garantía, garantizado",
        "garantie, garanties, sous garantie, hors garantie, extension de garantie, \
         garantie constructeur, période de garantie, faire jouer la garantie, garanti",
        "garantie, gewährleistung, garantiefall, garantieanspruch, gewährleistungsanspruch, \
         garantiezeit, unter garantie, noch garantie, herstellergarantie, garantieverlängerung, \
         kulanz",
        "gwaranc*, na gwarancji, w ramach gwarancji, poza gwarancją, po gwarancji, rekojmi*, \
         karta gwarancyjna, okres gwarancji, przedłużona gwarancja",
        "garantia, garantias, na garantia, em garantia, fora da garantia, prazo de garantia, \
         garantia estendida, acionar a garantia, termo de garantia",
        "garanzia, garanzie, in garanzia, fuori garanzia, ancora in garanzia, \
         estensione di garanzia, periodo di garanzia, garanzia legale, garanzia del produttore, \
         garantito",
    ]),
        concept!("repair", "service", 0.9, false, [
        "repair, repairs, repaired, repairing, get it fixed, have it fixed, broken screen, \
         cracked screen, screen replacement, battery replacement, replace the battery, \
         technician, engineer visit, send an engineer, service centre, service center, \
         repair shop, send it in for repair, spare part, spare parts, overheating, overheats, \
         water damage",
        "reparación, reparaciones, reparar, reparado, arreglar, arreglarlo, servicio técnico, \
         pantalla rota, cambio de pantalla, cambio de batería, cambiar la batería, \
         pieza de repuesto, repuesto, repuestos, avería, averiado, averiada, se calienta, \
         sobrecalentamiento",
        "réparation, réparations, réparer, réparé, réparée, faire réparer, dépannage, \
         dépanneur, technicien, panne, en panne, écran cassé, écran fissuré, \
         remplacement de l'écran, changement de batterie, pièce détachée, pièces détachées, \
         =sav, service après-vente, service après vente, atelier, surchauffe, dégât des eaux",
        "reparatur, reparaturen, reparieren, repariert, instandsetzung, techniker, \
         servicetechniker, werkstatt, reparaturservice, display kaputt, display gebrochen, \
         displaytausch, akkutausch, akku tauschen, ersatzteil, ersatzteile, überhitzt, \
         überhitzung, wasserschaden, einschicken, einsenden",
        "naprawa, serwisant*, technik, usterk*, pęknięty ekran, ekran pęknięty, wymiana ekranu, \
         wymiana baterii, wymiana wyświetlacza, część zamienna, części zamienne, przegrzew*, \
         zalany, zalanie, serwi*, naprawy, naprawić, naprawic, naprawiony, naprawiona, \
         naprawione, naprawiać, naprawiac, naprawil*, naprawien*",
        "conserto, consertar, consertado, reparo, reparar, reparação, assistência técnica, \
         tela quebrada, tela trincada, troca de tela, trocar a tela, troca de bateria, \
         trocar a bateria, peça de reposição, superaquecendo, superaquece, esquentando muito, \
         caiu na água, na oficina",
        "riparazione, riparazioni, riparare, riparato, aggiustare, aggiustato, \
         centro assistenza, assistenza tecnica, schermo rotto, display rotto, \
         sostituzione dello schermo, sostituzione della batteria, cambio batteria, \
         pezzo di ricambio, ricambi, guasto, guasti, surriscalda, si surriscalda, \
         surriscaldamento, danni da acqua",
    ]),
        concept!("installation", "service", 0.9, false, [
        "installation, install, installed, installing, installer, setup, setting up, \
         installation date, installation appointment, engineer appointment, =activation, \
         =activate, connect the router, mounting, assembly, assemble, assembling, instructions, \
         user manual, manual, how to install, plug in",
        "instalación, instalacion, instalar, instalado, instalador, montaje, montar, \
         configuración inicial, puesta en marcha, =activación, =activar, técnico instalador, \
         cita de instalación, manual de instrucciones, instrucciones, cómo instalar, enchufar",
        "installation, installer, installé, installée, installateur, mise en service, \
         mise en route, montage, =activation, =activer, raccordement, raccorder, branchement, \
         brancher, notice de montage, la notice, notice d'utilisation, mode d'emploi, \
         instructions, rendez-vous d'installation",
        "installation, installieren, installiert, einrichten, eingerichtet, inbetriebnahme, \
         montage, montieren, anschließen, freischaltung, freischalten, aktivierung, aktivieren, \
         bedienungsanleitung, anleitung, aufbauanleitung, installationstermin",
        "instalacj*, zainstalow*, instalow*, montaz*, zamontow*, podłączenie internetu, \
         podłączenie routera, podłączenie usługi, aktywacj*, aktywow*, uruchomien*, instrukcj*, \
         instrukcja obsługi, instrukcja montażu, wizyta technika, instalator*, podlaczen*, \
         podłączyć router, podłączyć internet, podłączyć dekoder",
        "instalação, instalacao, instalar, instalado, instalada, instalador, montagem, montar, \
         configuração inicial, =ativação, =ativar, habilitar, visita técnica, \
         técnico instalador, manual, manual de instruções, instruções, como instalar",
        "installazione, installare, installato, installata, installatore, montaggio, \
         configurazione iniziale, =attivazione, =attivare, allacciamento, allaccio, \
         messa in funzione, manuale, manuale d'uso, istruzioni, istruzioni di montaggio, \
         appuntamento con il tecnico, tecnico installatore",
    ]),
        concept!("insurance_claim", "insurance", 1.0, false, [
        "insurance, insurer, insurance company, insurance claim, insurance claims, \
         make a claim, file a claim, claim form, claim number, claim status, policyholder, \
         policy number, coverage, covered by insurance, deductible, insurance premium, \
         health insurance, dental insurance, delta dental, medicare, medicaid, aetna, cigna, \
         out of network, in network, pre-authorization, preauthorization, accident",
        "el seguro, mi seguro, un seguro, del seguro, al seguro, seguro médico, seguro dental, \
         seguro de salud, seguro de viaje, seguro del coche, seguro de hogar, aseguradora, \
         compañía de seguros, mutua, número de póliza, siniestro, dar parte, \
         parte de accidente, parte al seguro, cobertura del seguro, me cubre, lo cubre, \
         franquicia, sanitas, adeslas, asisa, dkv, mapfre, perito, accidente, la póliza, \
         mi póliza, de la póliza",
        "assurance, assurances, assureur, mutuelle, complémentaire santé, sécurité sociale, \
         sécu, carte vitale, remboursement de la mutuelle, sinistre, sinistres, \
         déclaration de sinistre, déclarer un sinistre, constat amiable, police d'assurance, \
         franchise, tiers payant, accident",
        "versicherung, versicherungen, versicherer, krankenkasse, krankenversicherung, \
         zahnzusatzversicherung, zusatzversicherung, privatversichert, gesetzlich versichert, \
         schadensfall, schaden melden, schadensmeldung, schadennummer, versicherungsnummer, \
         versicherungsfall, versicherungspolice, selbstbeteiligung, kostenübernahme, \
         heil- und kostenplan, gutachter, unfall",
        "ubezpiecz*, ubezpieczyciel*, polis*, nfz, zgłoszenie szkody, zgloszenie szkody, \
         likwidacja szkody, odszkodowan*, rzeczoznawc*, udział własny, franszyz*, składka, \
         składki, wypadek, wypadku, pzu, kolizj*",
        "o seguro, meu seguro, um seguro, do seguro, pelo seguro, seguro saúde, seguro de vida, \
         seguro do carro, seguro viagem, seguradora, plano de saúde, plano odontológico, \
         convênio, convenio, apólice, apolice, sinistro, acionar o seguro, cobertura do seguro, \
         franquia, reembolso do plano, carência, carencia, unimed, amil, sulamérica, acidente, \
         vistoria",
        "assicurazione, assicurazioni, assicurativo, assicurativa, compagnia assicurativa, \
         la polizza, una polizza, mia polizza, della polizza, polizza assicurativa, \
         numero di polizza, polizze, sinistro, sinistri, denuncia di sinistro, \
         aprire un sinistro, rimborso dell'assicurazione, copertura assicurativa, franchigia, \
         premio assicurativo, massimale, perito, perizia, incidente, mutua, fondo sanitario, \
         cassa mutua",
    ]),
        concept!("loan", "banking", 1.0, false, [
        "loan, loans, mortgage, mortgages, remortgage, personal loan, car loan, home loan, \
         student loan, line of credit, credit line, credit score, credit check, borrow, \
         borrowing, lend, lending, interest rate, interest rates, fixed rate, variable rate, \
         =apr, repay, repayment, repayments, pay off, pay back, early repayment, financing, \
         finance, overdraft, down payment, refinance, refinancing",
        "préstamo, préstamos, prestamo, hipoteca, hipotecas, hipotecario, crédito, credito, \
         créditos, financiación, financiar, financiamiento, pedir prestado, tipo de interés, \
         tipo de interes, los intereses, tae, amortizar, amortización, préstamo personal, \
         crédito al consumo, descubierto, euríbor",
        "un prêt, mon prêt, le prêt, prêt immobilier, prêt personnel, prêt auto, prêt étudiant, \
         demande de prêt, de prêt, emprunt, emprunter, crédit, crédits, crédit immobilier, \
         crédit auto, crédit conso, hypothèque, hypothécaire, taux d'intérêt, taeg, \
         mensualités, remboursement anticipé, financement, financer, découvert bancaire, \
         à découvert, autorisation de découvert, apport",
        "kredit, kredite, darlehen, hypothek, baufinanzierung, immobilienkredit, ratenkredit, \
         autokredit, privatkredit, finanzierung, finanzieren, zinsen, zinssatz, effektivzins, \
         tilgung, tilgen, sondertilgung, zurückzahlen, kreditrate, monatliche rate, \
         dispokredit, überziehung, schufa, kreditanfrage",
        "kredyt*, pozycz*, pożyczka, hipote*, kredyt hipoteczny, kredyt gotówkowy, rat kredytu, \
         oprocentowan*, odsetki, rrso, wcześniejsza spłata, splat*, finansowan*, \
         zdolność kredytowa, zdolnosc kredytowa, limit w koncie, debet*, bik",
        "empréstimo, emprestimo, empréstimos, financiamento, financiar, hipoteca, crédito, \
         credito, crédito pessoal, crédito habitação, consignado, juros, taxa de juros, \
         taxa de juro, amortização, amortizar, quitação, cheque especial, limite de crédito",
        "=prestito, =prestiti, mutuo, mutui, finanziamento, finanziamenti, finanziare, \
         =credito, prestito personale, cessione del quinto, tasso di interesse, \
         tassi di interesse, taeg, rata del mutuo, estinzione anticipata, estinguere il mutuo, \
         surroga, rifinanziamento, =fido, scoperto, la rata, una rata, rata mensile, \
         le rate del mutuo",
    ]),
        concept!("transfer_money", "banking", 1.0, false, [
        "transfer, transfers, transferred, bank transfer, wire, wire transfer, wired, \
         send money, sent money, sending money, receive money, received money, money transfer, \
         payee, beneficiary, iban, swift, =bic, sort code, routing number, account number, \
         standing order, international transfer, sepa, instant transfer, pending transfer, \
         zelle, venmo",
        "transferencia, transferencias, transferir, transferí, enviar dinero, envié dinero, \
         mandar dinero, recibir dinero, giro, remesa, iban, swift, =bic, beneficiario, \
         ordenante, transferencia internacional, transferencia inmediata, sepa, \
         número de cuenta",
        "virement, virements, virer, viré, virement bancaire, virement international, \
         virement instantané, transfert, transférer, envoyer de l'argent, recevoir de l'argent, \
         iban, rib, swift, =bic, bénéficiaire, sepa, numéro de compte",
        "überweisung, überweisungen, überweisen, überwiesen, echtzeitüberweisung, \
         auslandsüberweisung, sepa-überweisung, dauerauftrag, geld senden, geld schicken, \
         geld überweisen, geld erhalten, zahlungsempfänger, iban, =bic, swift, kontonummer",
        "przelew*, przelać, przelac, przelałem, przelalem, przelałam, przelew ekspresowy, \
         przelew zagraniczny, wysłać pieniądze, wyslac pieniadze, iban, swift, =bic, \
         numer konta, numer rachunku, zlecenie stałe, polecenie zapłaty, sepa, wplat*",
        "transferência, transferencia, transferências, transferir, transferi, mandar dinheiro, \
         enviar dinheiro, mandei dinheiro, recebi dinheiro, receber dinheiro, iban, swift, nib, \
         beneficiário, transferência internacional, número da conta",
        "bonifico, bonifici, bonifico istantaneo, bonifico estero, bonifico sepa, \
         trasferimento, trasferire, trasferito, inviare soldi, mandare soldi, ricevere soldi, \
         iban, swift, =bic, beneficiario, ordinante, giroconto, sepa",
    ]),
        concept!("fraud", "security", 1.0, false, [
        "fraud, fraudulent, scam, scams, scammed, scammer, scammers, phishing, phishing email, \
         suspicious, suspicious transaction, suspicious activity, hacked, hacker, compromised, \
         someone used my card, identity theft, stolen identity, fake website, fake email, \
         fake call, fake text, impersonating, pretending to be, is that you, is this you, \
         was it you, clicked a link, clicked on a link, strange transactions, \
         transactions i didn't make, i didn't make",
        "fraude, fraudes, fraudulento, fraudulenta, estafado, estafada, me han estafado, timo, \
         phishing, sospechoso, sospechosa, movimiento sospechoso, cargo sospechoso, hackeado, \
         hackeada, me han hackeado, pirateado, suplantación, suplantación de identidad, \
         robo de identidad, yo no he hecho, no he hecho yo, enlace sospechoso, sms falso, \
         llamada falsa, se hacen pasar por, haciéndose pasar por, estaf*, una estafa, \
         es una estafa",
        "fraude, frauduleux, frauduleuse, arnaque, arnaqué, arnaquée, escroquerie, escroc, \
         hameçonnage, phishing, suspect, suspecte, opération suspecte, transaction suspecte, \
         piraté, piratée, hacké, usurpation, usurpation d'identité, faux conseiller, faux site, \
         faux mail, sms frauduleux, je n'ai pas fait, que je n'ai pas faite",
        "betrüger, betrügerisch, betrogen, abzocke, phishing, phishing-mail, verdächtig, \
         verdächtige, verdächtige abbuchung, verdächtige transaktion, gehackt, \
         identitätsdiebstahl, datenklau, gefälscht, gefälschte, falscher mitarbeiter, \
         ausgegeben, nicht autorisiert, missbrauch, kartenmissbrauch, betru*, betrügerei",
        "oszust*, oszuk*, wyludzen*, phishing, podejrzan*, wlamani*, zhakowan*, shakowan*, \
         kradzież tożsamości, podszywa*, podszyl*, falszyw*, nie zlecałem, nie zlecalem, \
         nieautoryzowan*",
        "fraude, fraudes, =golpes, golpista, golpistas, um golpe, num golpe, no golpe, \
         golpe do, golpe no, golpe pelo, sofri um golpe, caí num golpe, cai num golpe, \
         estelionato, phishing, suspeito, suspeita, transação suspeita, compra suspeita, \
         hackeado, hackeada, conta invadida, cartão clonado, clonaram, roubo de identidade, \
         se passando por, fingindo ser, site falso, sms falso, não fui eu, nao fui eu",
        "frode, truffa, truffe, truffato, truffata, truffatore, raggiro, phishing, sospetto, \
         sospetta, transazione sospetta, addebiti strani, movimenti strani, hackerato, \
         hackerata, account violato, carta clonata, furto d'identità, furto di identità, \
         si spacciava, spacciandosi, finto operatore, falso operatore, non l'ho fatto io",
    ]),
        concept!("size_fit", "sizing", 0.9, false, [
        "size, size guide, size chart, what size, which size, my size, true to size, \
         runs small, runs large, runs big, fits small, fits large, fits big, the fit, \
         too small, too big, too tight, too loose, bigger size, smaller size, size up, \
         size down, measurements, waist, inseam, shoe size, half size",
        "=talla, qué talla, que talla, mi talla, guía de tallas, tabla de tallas, \
         una talla más, una talla menos, talla más grande, talla más pequeña, queda pequeño, \
         queda pequeña, queda grande, me queda pequeño, me queda grande, demasiado pequeño, \
         demasiado grande, me aprieta, tallan pequeño, medidas, número de zapato, horma",
        "=taille, guide des tailles, tableau des tailles, quelle taille, ma taille, \
         taille au-dessus, taille au dessus, taille en dessous, taille plus grande, \
         taille plus petite, taille petit, taille grand, taillent petit, taillent grand, \
         trop petit, trop petite, trop grand, trop grande, trop serré, trop serrée, trop large, \
         pointure, mensurations",
        "größe, grösse, groesse, größentabelle, größenberatung, welche größe, meine größe, \
         eine größe größer, eine nummer größer, eine nummer kleiner, klein aus, groß aus, \
         kleiner aus, größer aus, zu klein, zu groß, zu eng, zu weit, passform, schuhgröße, \
         konfektionsgröße",
        "jaki rozmiar, mój rozmiar, tabela rozmiarów, tabela rozmiarow, większy rozmiar, \
         mniejszy rozmiar, za mały, za mała, za małe, za duży, za duża, za duże, za ciasny, \
         za ciasne, za luźny, rozmiarowk*, numer buta, uciska",
        "=tamanho, qual tamanho, meu tamanho, tabela de tamanhos, guia de tamanhos, \
         tamanho maior, tamanho menor, um número maior, um número menor, veste pequeno, \
         veste grande, ficou pequeno, ficou pequena, ficou grande, ficou apertado, \
         ficou apertada, muito apertado, muito largo, folgado, numeração, medidas",
        "=taglia, che taglia, quale taglia, la mia taglia, tabella delle taglie, \
         guida alle taglie, taglia più grande, taglia più piccola, una taglia in più, \
         una taglia in meno, veste piccolo, veste piccola, veste grande, troppo piccolo, \
         troppo piccola, troppo grande, troppo stretto, troppo stretta, troppo largo, \
         numero di scarpe, misure, vestibilità",
    ]),
        concept!("recipe_diet", "food", 0.9, false, [
        "ingredient, ingredients, diet, dietary, vegan, vegetarian, gluten, gluten-free, \
         gluten free, lactose, lactose-free, dairy-free, dairy free, allergy, allergies, \
         allergic, allergen, allergens, nut allergy, keto, calories, calorie, nutrition, \
         nutritional, protein, meal plan, meals, halal, kosher, cooking, servings, recip*",
        "receta, recetas, ingrediente, ingredientes, dieta, dietas, vegetariano, vegetariana, \
         sin gluten, celíaco, celiaco, sin lactosa, lactosa, alergia, alergias, alérgico, \
         alérgica, alérgenos, calorías, calorias, nutricional, proteína, proteínas, \
         plan de comidas, menú semanal, cocinar, hornear, halal, keto, vegan*",
        "recette, recettes, ingrédient, ingrédients, régime, régime alimentaire, végan, vegan, \
         végétalien, végétarien, végétarienne, sans gluten, gluten, sans lactose, lactose, \
         allergie, allergies, allergique, allergènes, calories, nutrition, nutritionnel, \
         protéines, plan de repas, =repas, cuisiner, cuisson, portions, halal, casher, keto",
        "rezept, rezepte, zutat, zutaten, diät, ernährung, ernährungsplan, vegan, vegane, \
         veganes, vegetarisch, vegetarier, glutenfrei, gluten, laktosefrei, laktose, allergie, \
         allergien, allergiker, allergisch, allergene, kalorien, nährwerte, eiweiß, protein, \
         essensplan, mahlzeit, mahlzeiten, kochen, portionen, halal, koscher, keto, speisekarte",
        "przepis na, przepisy na, przepisu na, skladnik*, diet*, wegansk*, wegetarian*, \
         bezglutenow*, gluten*, bez laktozy, laktoz*, alergi*, alergen*, uczulen*, uczulony, \
         kalori*, wartości odżywcze, bialk*, jadlospis*, posilk*, gotowan*, porcj*, halal, keto",
        "receita, receitas, ingrediente, ingredientes, dieta, dietas, vegetariano, vegetariana, \
         sem glúten, glúten, sem lactose, lactose, alergia, alergias, alérgico, alérgica, \
         calorias, nutricional, proteína, proteínas, plano alimentar, cardápio, refeição, \
         refeições, cozinhar, porções, halal, keto, low carb, vegan*",
        "ricetta, ricette, ingrediente, ingredienti, dieta, diete, vegetariano, vegetariana, \
         senza glutine, glutine, celiaco, celiachia, senza lattosio, lattosio, allergia, \
         allergie, allergico, allergica, allergeni, calorie, valori nutrizionali, proteine, \
         piano alimentare, pasti, pasto, cucinare, porzioni, halal, keto, intolleranza, \
         intolleranze, vegan*",
    ]),
        concept!("contact", "contact", 0.6, false, [
        "contact, contacts, contacted, contacting, contact details, contact information, \
         contact info, contact form, contact number, get in touch, reach you",
        "contacto, contactos, contactar, contactarme, contactaros, datos de contacto, \
         formulario de contacto, ponerme en contacto, ponerse en contacto, \
         mis datos de contacto",
        "contact, contacts, contacter, contactez, me contacter, coordonnées, \
         formulaire de contact, vous joindre, mes coordonnées",
        "kontakt, kontakte, kontaktieren, kontaktiert, kontaktdaten, kontaktformular, \
         kontaktaufnahme",
        "kontakt, kontaktu, kontaktem, kontakcie, skontaktow*, kontaktow*, dane kontaktowe, \
         formularz kontaktowy, moje dane kontaktowe",
        "contato, contatos, contacto, contactos, contatar, entrar em contato, dados de contato, \
         formulário de contato, meus dados de contato",
        "contatto, contatti, contattare, contattarmi, contattato, contattarvi, \
         dati di contatto, modulo di contatto, i miei dati di contatto, miei dati di contatto",
    ]),
]
