<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="sq_AL">
<context>
    <name>AdminPanel</name>
    <message>
        <location filename="../../ui/admin.py" line="561" />
        <source>&amp;Operators</source>
        <translation>&amp;Operatorët</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="562" />
        <source>Offices and &amp;desks</source>
        <translation>Zyrat dhe sporte&amp;let</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="563" />
        <source>De&amp;vices and services</source>
        <translation>&amp;Pajisjet dhe shërbimet</translation>
    </message>
</context>
<context>
    <name>AlertModel</name>
    <message>
        <location filename="../../ui/supervisor/alerts.py" line="40" />
        <source>When</source>
        <translation>Kur</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/alerts.py" line="40" />
        <source>Application</source>
        <translation>Aplikimi</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/alerts.py" line="40" />
        <source>Message</source>
        <translation>Mesazhi</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/alerts.py" line="40" />
        <source>Reason</source>
        <translation>Arsyeja</translation>
    </message>
</context>
<context>
    <name>AlertsPanel</name>
    <message>
        <location filename="../../ui/supervisor/alerts.py" line="101" />
        <source>Field</source>
        <translation>Fusha</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/alerts.py" line="101" />
        <source>We sent</source>
        <translation>Ne dërguam</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/alerts.py" line="101" />
        <source>The registry holds</source>
        <translation>Regjistri mban</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/alerts.py" line="107" />
        <source>Re&amp;fresh</source>
        <translation>Ri&amp;fresko</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/alerts.py" line="108" />
        <source>&amp;Send again</source>
        <translation>&amp;Dërgo përsëri</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/alerts.py" line="109" />
        <source>Resol&amp;ve…</source>
        <translation>Zg&amp;jidh…</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/alerts.py" line="123" />
        <source>Fields that differ (read back from the registry)</source>
        <translation>Fushat që ndryshojnë (të lexuara nga regjistri)</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/alerts.py" line="135" />
        <source>Messages to the registers that failed for good. Send one again once its cause is fixed (an API key, a register's data), or resolve it with a note.</source>
        <translation>Mesazhe drejt regjistrave që dështuan përfundimisht. Dërgojeni përsëri pasi të rregullohet shkaku (një çelës API, të dhënat e një regjistri), ose zgjidheni me një shënim.</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/alerts.py" line="163" />
        <source>There are no delivery alerts.</source>
        <translation>Nuk ka alarme dërgimi.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/supervisor/alerts.py" line="165" />
        <source>%n alert(s) to settle.</source>
        <translation>
            <numerusform>%n alarm për t'u zgjidhur.</numerusform>
            <numerusform>%n alarme për t'u zgjidhur.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/alerts.py" line="185" />
        <source>{topic}, application {number}</source>
        <translation>{topic}, aplikimi {number}</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/alerts.py" line="223" />
        <source>Alert {id} will be sent again on the next delivery round.</source>
        <translation>Alarmi {id} do të dërgohet përsëri në raundin e ardhshëm të dërgimit.</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/alerts.py" line="256" />
        <source>Alert {id} resolved: application {number} is e-Albania ready.</source>
        <translation>Alarmi {id} u zgjidh: aplikimi {number} është gati për e-Albania.</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/alerts.py" line="258" />
        <source>Alert {id} resolved.</source>
        <translation>Alarmi {id} u zgjidh.</translation>
    </message>
</context>
<context>
    <name>BatchHome</name>
    <message>
        <location filename="../../ui/supervisor/batch_home.py" line="61" />
        <source>Re&amp;fresh</source>
        <translation>Ri&amp;fresko</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/batch_home.py" line="76" />
        <source>&amp;Approve</source>
        <translation>&amp;Mirato</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/batch_home.py" line="77" />
        <source>&amp;Reject…</source>
        <translation>&amp;Refuzo…</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/batch_home.py" line="78" />
        <source>Ca&amp;ncel application…</source>
        <translation>A&amp;nulo aplikimin…</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/batch_home.py" line="80" />
        <source>Approve a&amp;ll remaining</source>
        <translation>Mirato të &amp;gjitha të mbetura</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/batch_home.py" line="82" />
        <source>&amp;Manifest PDF</source>
        <translation>&amp;Lista PDF</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/batch_home.py" line="83" />
        <source>&amp;Open</source>
        <translation>&amp;Hap</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/batch_home.py" line="101" />
        <source>Open batches of your office</source>
        <translation>Partitë e hapura të zyrës suaj</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/batch_home.py" line="153" />
        <source>There are no open batches for your office.</source>
        <translation>Nuk ka parti të hapura për zyrën tuaj.</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/batch_home.py" line="254" />
        <source>Approving {number}…</source>
        <translation>Duke miratuar {number}…</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/batch_home.py" line="287" />
        <source>Application {number} approved; personal number {nid}.</source>
        <translation>Aplikimi {number} u miratua; numri personal {nid}.</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/batch_home.py" line="303" />
        <location filename="../../ui/supervisor/batch_home.py" line="339" />
        <source>Application {number} rejected.</source>
        <translation>Aplikimi {number} u refuzua.</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/batch_home.py" line="372" />
        <source>Application {number} cancelled.</source>
        <translation>Aplikimi {number} u anulua.</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/batch_home.py" line="374" />
        <source>Coupon {code} is given back to the post office.</source>
        <translation>Kuponi {code} i kthehet postës.</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/batch_home.py" line="404" />
        <source>Approve all remaining</source>
        <translation>Mirato të gjitha të mbetura</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/supervisor/batch_home.py" line="406" />
        <source>Approve all %n undecided application(s) of batch {batch}?</source>
        <translation>
            <numerusform>Të miratohet %n aplikim i pavendosur i partisë {batch}?</numerusform>
            <numerusform>Të miratohen të gjitha %n aplikimet e pavendosura të partisë {batch}?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/supervisor/batch_home.py" line="436" />
        <source>Approving %n application(s)…</source>
        <translation>
            <numerusform>Duke miratuar %n aplikim…</numerusform>
            <numerusform>Duke miratuar %n aplikime…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/supervisor/batch_home.py" line="448" />
        <source>%n application(s) approved.</source>
        <translation>
            <numerusform>U miratua %n aplikim.</numerusform>
            <numerusform>U miratuan %n aplikime.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/supervisor/batch_home.py" line="451" />
        <source>%n application(s) approved; {skipped} left undecided:</source>
        <translation>
            <numerusform>U miratua %n aplikim; pa vendim mbetën {skipped}:</numerusform>
            <numerusform>U miratuan %n aplikime; pa vendim mbetën {skipped}:</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/batch_home.py" line="544" />
        <source>It is out of date: decisions were made after it. Make it again before printing.</source>
        <translation>Nuk është e përditësuar: pas saj u morën vendime. Bëjeni përsëri para se ta shtypni.</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/batch_home.py" line="413" />
        <source>&amp;Yes</source>
        <translation>&amp;Po</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/batch_home.py" line="414" />
        <source>&amp;No</source>
        <translation>&amp;Jo</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/batch_home.py" line="463" />
        <source>Nothing was approved: {reason}</source>
        <translation>Nuk u miratua asgjë: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/batch_home.py" line="507" />
        <source>Preparing the manifest…</source>
        <translation>Duke përgatitur listën…</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/batch_home.py" line="541" />
        <source>Manifest saved: {path}</source>
        <translation>Lista u ruajt: {path}</translation>
    </message>
</context>
<context>
    <name>BatchListModel</name>
    <message>
        <location filename="../../ui/supervisor/models.py" line="41" />
        <source>Batch</source>
        <translation>Partia</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/models.py" line="41" />
        <source>Submitted</source>
        <translation>Të dorëzuara</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/models.py" line="41" />
        <source>Approved</source>
        <translation>Të miratuara</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/models.py" line="41" />
        <source>Rejected</source>
        <translation>Të refuzuara</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/models.py" line="42" />
        <source>Flagged</source>
        <translation>Me shënime</translation>
    </message>
</context>
<context>
    <name>BatchTableModel</name>
    <message>
        <location filename="../../ui/supervisor/models.py" line="75" />
        <source>Photo</source>
        <translation>Fotografia</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/models.py" line="75" />
        <source>Application</source>
        <translation>Aplikimi</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/models.py" line="75" />
        <source>Surname</source>
        <translation>Mbiemri</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/models.py" line="75" />
        <source>Given names</source>
        <translation>Emrat</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/models.py" line="76" />
        <source>Nationality</source>
        <translation>Shtetësia</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/models.py" line="76" />
        <source>Born</source>
        <translation>Lindur</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/models.py" line="76" />
        <source>Permit</source>
        <translation>Leja</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/models.py" line="76" />
        <source>State</source>
        <translation>Gjendja</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/models.py" line="77" />
        <source>Flags</source>
        <translation>Shënime</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/models.py" line="77" />
        <source>Possible duplicates</source>
        <translation>Dyfishime të mundshme</translation>
    </message>
</context>
<context>
    <name>CancelDialog</name>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="349" />
        <source>Cancel application {number}</source>
        <translation>Anulo aplikimin {number}</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="347" />
        <source>Reason (required)</source>
        <translation>Arsyeja (e detyrueshme)</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="350" />
        <source>&amp;Why is this application cancelled? Its coupon is given back to the post office. (required)</source>
        <translation>&amp;Pse anulohet ky aplikim? Kuponi i tij i kthehet postës. (e detyrueshme)</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="352" />
        <source>Cancel the &amp;application</source>
        <translation>Anulo &amp;aplikimin</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="345" />
        <source>&amp;Keep it</source>
        <translation>&amp;Mbaje</translation>
    </message>
</context>
<context>
    <name>CardStation</name>
    <message>
        <location filename="../../ui/card_station/models.py" line="56" />
        <source>Checking the card in the reader is blank…</source>
        <translation>Duke kontrolluar që karta në lexues është e bardhë…</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/models.py" line="59" />
        <source>Printing the card face…</source>
        <translation>Duke printuar faqen e kartës…</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/models.py" line="62" />
        <source>Encoding the chip…</source>
        <translation>Duke shkruar çipin…</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/models.py" line="63" />
        <source>Locking the chip…</source>
        <translation>Duke kyçur çipin…</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/models.py" line="64" />
        <source>Reading the chip back and verifying…</source>
        <translation>Duke lexuar çipin dhe duke e verifikuar…</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/models.py" line="67" />
        <source>Card produced</source>
        <translation>Karta u prodhua</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/models.py" line="73" />
        <source>Writing chip file {file} ({size} bytes)…</source>
        <translation>Duke shkruar skedarin {file} të çipit ({size} bajt)…</translation>
    </message>
</context>
<context>
    <name>CardStationHome</name>
    <message>
        <location filename="../../ui/card_station/home.py" line="114" />
        <source>&amp;Produce card</source>
        <translation>&amp;Prodho kartën</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="115" />
        <source>Produce &amp;all</source>
        <translation>Prodho të &amp;gjitha</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="116" />
        <source>Re&amp;fresh</source>
        <translation>Ri&amp;fresko</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="117" />
        <source>Record as &amp;spoiled…</source>
        <translation>Shëno si të dë&amp;mtuar…</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="119" />
        <source>A blank left in production (the run was interrupted) or misprinted</source>
        <translation>Një kartë e bardhë e mbetur në prodhim (prodhimi u ndërpre) ose e printuar gabim</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="128" />
        <source>Card: %p%</source>
        <translation>Karta: %p%</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="130" />
        <source>Queue: %v of %m</source>
        <translation>Radha: %v nga %m</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="141" />
        <source>&amp;Reprint</source>
        <translation>&amp;Riprinto</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="152" />
        <source>Scan or type the card's document number</source>
        <translation>Skanoni ose shkruani numrin e dokumentit të kartës</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="156" />
        <source>The resident handed in the old card</source>
        <translation>Banori dorëzoi kartën e vjetër</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="158" />
        <source>&amp;Hand over</source>
        <translation>&amp;Dorëzo</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="161" />
        <source>Misprinted: record as spoiled…</source>
        <translation>E printuar gabim: shëno si të dëmtuar…</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="165" />
        <source>The scanned card is misprinted or damaged: it is never handed over and its application returns to the queue</source>
        <translation>Karta e skanuar është printuar gabim ose është dëmtuar: nuk dorëzohet kurrë dhe aplikimi i saj kthehet në radhë</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="172" />
        <source>Read the &amp;chip photo</source>
        <translation>&amp;Lexo foton e çipit</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="174" />
        <source>Read the photo from the chip of the card in the reader</source>
        <translation>Lexo fotografinë nga çipi i kartës në lexues</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="186" />
        <source>Approved applications waiting for a card</source>
        <translation>Aplikime të miratuara që presin kartën</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="201" />
        <source>Spoiled cards</source>
        <translation>Karta të dëmtuara</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="206" />
        <source>Ready for handover (e-Albania ready)</source>
        <translation>Gati për dorëzim (gati për e-Albania)</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="209" />
        <source>&amp;Document number on the card:</source>
        <translation>&amp;Numri i dokumentit në kartë:</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="221" />
        <source>Photo at enrolment</source>
        <translation>Fotografia në aplikim</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="222" />
        <source>Photo on the chip</source>
        <translation>Fotografia në çip</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="304" />
        <source>No approved application is waiting for a card.</source>
        <translation>Asnjë aplikim i miratuar nuk pret kartën.</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="315" />
        <source>Low blank stock: {count} blanks left (warning below {level}). Ask a supervisor to receive a new box.</source>
        <translation>Stoku i kartave të bardha është i ulët: kanë mbetur {count} karta (paralajmërimi nën {level}). Kërkojini mbikëqyrësit të pranojë një kuti të re.</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="322" />
        <source>Blanks in stock: {count}; the next card is printed on blank {serial}.</source>
        <translation>Karta të bardha në stok: {count}; karta e radhës shtypet në kartën e bardhë {serial}.</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="399" />
        <location filename="../../ui/card_station/home.py" line="400" />
        <source>Starting…</source>
        <translation>Duke filluar…</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="430" />
        <source>Card {card} produced and verified for application {application}.</source>
        <translation>Karta {card} u prodhua dhe u verifikua për aplikimin {application}.</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="434" />
        <source>Card produced</source>
        <translation>Karta u prodhua</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="453" />
        <source>Producing the queue stopped here.</source>
        <translation>Prodhimi i radhës u ndal këtu.</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="503" />
        <source>Card {card} recorded as spoiled: {reason}. The application waits for a new blank.</source>
        <translation>Karta {card} u shënua e dëmtuar: {reason}. Aplikimi pret një kartë të re të bardhë.</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="474" />
        <location filename="../../ui/card_station/home.py" line="593" />
        <source>Scan the document number on the back of the card.</source>
        <translation>Skanoni numrin e dokumentit në pjesën e pasme të kartës.</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="555" />
        <location filename="../../ui/card_station/home.py" line="578" />
        <source>No photo</source>
        <translation>Pa fotografi</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="567" />
        <source>Reading…</source>
        <translation>Duke lexuar…</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/home.py" line="617" />
        <source>Card {card} handed over to {name} (application {application}).</source>
        <translation>Karta {card} iu dorëzua {name} (aplikimi {application}).</translation>
    </message>
</context>
<context>
    <name>CheckRow</name>
    <message>
        <location filename="../../ui/admin.py" line="399" />
        <source>Test</source>
        <translation>Provo</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="409" />
        <source>Testing…</source>
        <translation>Duke provuar…</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="417" />
        <source>OK</source>
        <translation>Në rregull</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="417" />
        <source>Not working</source>
        <translation>Nuk punon</translation>
    </message>
</context>
<context>
    <name>CouponPage</name>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="47" />
        <source>scan the barcode or type the code</source>
        <translation>skanoni barkodin ose shkruani kodin</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="48" />
        <source>&amp;Verify coupon</source>
        <translation>&amp;Verifiko kuponin</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="53" />
        <source>C&amp;oupon</source>
        <translation>K&amp;uponi</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="59" />
        <source>Card type (from the coupon)</source>
        <translation>Lloji i kartës (nga kuponi)</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="71" />
        <source>Coupon</source>
        <translation>Kuponi</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="99" />
        <source>Scan or type the coupon code.</source>
        <translation>Skanoni ose shkruani kodin e kuponit.</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="103" />
        <source>Checking coupon {code}…</source>
        <translation>Duke kontrolluar kuponin {code}…</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="129" />
        <source>Coupon {code} is valid: {amount} paid; it is reserved for this application.</source>
        <translation>Kuponi {code} është i vlefshëm: {amount} të paguara; u rezervua për këtë aplikim.</translation>
    </message>
</context>
<context>
    <name>Desk</name>
    <message>
        <location filename="../../ui/app.py" line="107" />
        <source>Logged out after {minutes:g} minutes without activity; drafts are kept.</source>
        <translation>Dolët nga llogaria pas {minutes:g} minutash pa veprim; draftet ruhen.</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="167" />
        <source>Unexpected error</source>
        <translation>Gabim i papritur</translation>
    </message>
</context>
<context>
    <name>DeskStatusBar</name>
    <message>
        <location filename="../../ui/status.py" line="36" />
        <source>checking…</source>
        <translation>duke kontrolluar…</translation>
    </message>
    <message>
        <location filename="../../ui/status.py" line="48" />
        <source>Coupons</source>
        <translation>Kuponat</translation>
    </message>
    <message>
        <location filename="../../ui/status.py" line="49" />
        <source>Foreigners' register</source>
        <translation>Regjistri i të huajve</translation>
    </message>
    <message>
        <location filename="../../ui/status.py" line="50" />
        <source>Civil registry</source>
        <translation>Gjendja civile</translation>
    </message>
    <message>
        <location filename="../../ui/status.py" line="51" />
        <source>Notifications</source>
        <translation>Njoftimet</translation>
    </message>
    <message>
        <location filename="../../ui/status.py" line="52" />
        <source>Camera</source>
        <translation>Kamera</translation>
    </message>
    <message>
        <location filename="../../ui/status.py" line="53" />
        <source>Fingerprint scanner</source>
        <translation>Skaneri i gishtërinjve</translation>
    </message>
    <message>
        <location filename="../../ui/status.py" line="54" />
        <source>Receipt printer</source>
        <translation>Printeri i dëftesave</translation>
    </message>
    <message>
        <location filename="../../ui/status.py" line="55" />
        <source>Card printer</source>
        <translation>Printeri i kartave</translation>
    </message>
    <message>
        <location filename="../../ui/status.py" line="56" />
        <source>Card reader</source>
        <translation>Lexuesi i kartave</translation>
    </message>
    <message>
        <location filename="../../ui/status.py" line="82" />
        <source>Outbox: {pending} waiting, {alerts} alerts</source>
        <translation>Kutia dalëse: {pending} në pritje, {alerts} sinjalizime</translation>
    </message>
</context>
<context>
    <name>DetailPane</name>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="71" />
        <source>Permit data (as written in the register)</source>
        <translation>Të dhënat e lejes (siç janë shkruar në regjistër)</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="75" />
        <source>Surname</source>
        <translation>Mbiemri</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="75" />
        <source>Given names</source>
        <translation>Emrat</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="76" />
        <source>Father's name</source>
        <translation>Emri i babait</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="76" />
        <source>Mother's name</source>
        <translation>Emri i nënës</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="77" />
        <source>Sex</source>
        <translation>Gjinia</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="77" />
        <source>Date of birth</source>
        <translation>Datëlindja</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="78" />
        <source>Place of birth</source>
        <translation>Vendlindja</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="78" />
        <source>Nationality</source>
        <translation>Shtetësia</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="79" />
        <source>Passport</source>
        <translation>Pasaporta</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="79" />
        <source>Personal number (NID)</source>
        <translation>Numri personal (NID)</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="80" />
        <source>Address in Albania</source>
        <translation>Adresa në Shqipëri</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="80" />
        <source>Permit number</source>
        <translation>Numri i lejes</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="81" />
        <source>Permit type</source>
        <translation>Lloji i lejes</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="81" />
        <source>Permit status</source>
        <translation>Gjendja e lejes</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="82" />
        <source>Permit valid</source>
        <translation>Leja e vlefshme</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="82" />
        <source>Enrolled by</source>
        <translation>Pranuar nga</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="83" />
        <source>State</source>
        <translation>Gjendja</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="99" />
        <source>Fingerprints</source>
        <translation>Shenjat e gishtërinjve</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="114" />
        <source>Signature</source>
        <translation>Nënshkrimi</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="121" />
        <source>Quality flags</source>
        <translation>Shënime për cilësinë</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="125" />
        <source>Possible duplicates</source>
        <translation>Dyfishime të mundshme</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="141" />
        <source>Right thumb</source>
        <translation>Gishti i madh i djathtë</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="141" />
        <source>Right index</source>
        <translation>Treguesi i djathtë</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="142" />
        <source>Right middle</source>
        <translation>Gishti i mesëm i djathtë</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="142" />
        <source>Right ring</source>
        <translation>Gishti i unazës i djathtë</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="143" />
        <source>Right little</source>
        <translation>Gishti i vogël i djathtë</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="143" />
        <source>Left thumb</source>
        <translation>Gishti i madh i majtë</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="144" />
        <source>Left index</source>
        <translation>Treguesi i majtë</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="144" />
        <source>Left middle</source>
        <translation>Gishti i mesëm i majtë</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="145" />
        <source>Left ring</source>
        <translation>Gishti i unazës i majtë</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="145" />
        <source>Left little</source>
        <translation>Gishti i vogël i majtë</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="146" />
        <source>Photo</source>
        <translation>Fotografia</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="154" />
        <source>{what}: exception — {reason}</source>
        <translation>{what}: përjashtim — {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="156" />
        <source>{what}: quality {quality} accepted by override — {reason}</source>
        <translation>{what}: cilësia {quality} u pranua me miratim të veçantë — {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="159" />
        <source>{what}: low quality ({quality})</source>
        <translation>{what}: cilësi e ulët ({quality})</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="164" />
        <source>Same permit number as application {number} ({state})</source>
        <translation>I njëjti numër leje si aplikimi {number} ({state})</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="166" />
        <source>Same passport and nationality as application {number} ({state})</source>
        <translation>E njëjta pasaportë dhe shtetësi si aplikimi {number} ({state})</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="168" />
        <source>Already holds valid card {document} (application {number})</source>
        <translation>Ka tashmë kartën e vlefshme {document} (aplikimi {number})</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="172" />
        <source>Same person has another open application {number} ({state})</source>
        <translation>I njëjti person ka një aplikim tjetër të hapur {number} ({state})</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="209" />
        <source>No fingerprints or signature: child under {below}.</source>
        <translation>Pa shenja gishtash dhe pa nënshkrim: fëmijë nën {below} vjeç.</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="220" />
        <source>No quality flags.</source>
        <translation>Asnjë shënim për cilësinë.</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="224" />
        <source>No possible duplicates found.</source>
        <translation>Nuk u gjet asnjë dyfishim i mundshëm.</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="228" />
        <source>Loading…</source>
        <translation>Duke ngarkuar…</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="236" />
        <source>No photo</source>
        <translation>Pa fotografi</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="245" />
        <source>{finger}: quality {quality}</source>
        <translation>{finger}: cilësia {quality}</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="251" />
        <source>Exception: {reason}</source>
        <translation>Përjashtim: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="253" />
        <source>Not taken (child)</source>
        <translation>Nuk u morën (fëmijë)</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="255" />
        <source>Missing</source>
        <translation>Mungon</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="261" />
        <source>Cannot sign: {reason}</source>
        <translation>Nuk mund të nënshkruajë: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="265" />
        <source>Not asked: child under {below}</source>
        <translation>Nuk u kërkua: fëmijë nën {below} vjeç</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="268" />
        <source>No signature</source>
        <translation>Pa nënshkrim</translation>
    </message>
</context>
<context>
    <name>DevicesTab</name>
    <message>
        <location filename="../../ui/admin.py" line="453" />
        <source>Receipt printer (A4)</source>
        <translation>Printeri i dëftesave (A4)</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="456" />
        <source>Post-office vouchers</source>
        <translation>Kuponët e postës</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="459" />
        <source>Foreigners' register (FER)</source>
        <translation>Regjistri i të huajve (FER)</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="461" />
        <source>Civil registry</source>
        <translation>Gjendja civile</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="464" />
        <source>Notifications (SMS, e-mail)</source>
        <translation>Njoftimet (SMS, e-mail)</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="477" />
        <source>Set by the environment ({variable})</source>
        <translation>Caktohet nga mjedisi ({variable})</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="491" />
        <source>&amp;Save settings</source>
        <translation>&amp;Ruaj cilësimet</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="496" />
        <source>Devices use saved settings at once; register addresses when the desk starts again. Settings fixed by the environment are changed there.</source>
        <translation>Pajisjet përdorin cilësimet e ruajtura menjëherë; adresat e regjistrave kur tavolina niset përsëri. Cilësimet e caktuara nga mjedisi ndryshohen atje.</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="535" />
        <source>Nothing to save.</source>
        <translation>Asgjë për të ruajtur.</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="545" />
        <source>Settings saved.</source>
        <translation>Cilësimet u ruajtën.</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="444" />
        <source>Camera</source>
        <translation>Kamera</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="446" />
        <source>Fingerprint scanner</source>
        <translation>Skaneri i gishtërinjve</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="449" />
        <source>Card reader</source>
        <translation>Lexuesi i kartave</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="451" />
        <source>Card printer</source>
        <translation>Printeri i kartave</translation>
    </message>
</context>
<context>
    <name>DiscardDialog</name>
    <message>
        <location filename="../../ui/enrolment/home.py" line="86" />
        <source>Discard draft {number}</source>
        <translation>Hidh poshtë draftin {number}</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/home.py" line="88" />
        <source>Reason (optional)</source>
        <translation>Arsyeja (jo e detyrueshme)</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/home.py" line="93" />
        <source>&amp;Discard</source>
        <translation>&amp;Hidhe poshtë</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/home.py" line="95" />
        <source>&amp;Keep</source>
        <translation>&amp;Mbaje</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/home.py" line="100" />
        <source>Discard application {number} ({applicant})? It cannot be resumed afterwards; its coupon is given back to the post office.</source>
        <translation>Të hidhet poshtë aplikimi {number} ({applicant})? Më pas nuk mund të vazhdohet; kuponi i tij i kthehet postës.</translation>
    </message>
</context>
<context>
    <name>DocumentsPage</name>
    <message>
        <location filename="../../ui/enrolment/review.py" line="49" />
        <source>&amp;Add PDF scan…</source>
        <translation>&amp;Shto skanim PDF…</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="52" />
        <source>Re&amp;move the selected scan</source>
        <translation>&amp;Hiq skanimin e zgjedhur</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="61" />
        <source>Why is the card replaced?</source>
        <translation>Pse zëvendësohet karta?</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="64" />
        <source>— choose the reason —</source>
        <translation>— zgjidhni arsyen —</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="68" />
        <source>Attach the &amp;police report (PDF)…</source>
        <translation>Bashkëngjit &amp;denoncimin në polici (PDF)…</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="72" />
        <source>&amp;Record the reason</source>
        <translation>&amp;Regjistro arsyen</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="77" />
        <source>R&amp;eason</source>
        <translation>&amp;Arsyeja</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="90" />
        <source>Optional: scans of supporting documents (PDF only, at most 5 MB each).</source>
        <translation>Opsionale: skanime të dokumenteve shoqëruese (vetëm PDF, deri në 5 MB secili).</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="109" />
        <source>Documents</source>
        <translation>Dokumentet</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="147" />
        <source>Choose the police report</source>
        <translation>Zgjidhni denoncimin në polici</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="182" />
        <source>Recording the reason…</source>
        <translation>Po regjistrohet arsyeja…</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="193" />
        <source>Recorded: {reason}. Card {number} is revoked when the application is submitted.</source>
        <translation>U regjistrua: {reason}. Karta {number} revokohet kur dorëzohet aplikimi.</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="196" />
        <source>Recorded: {reason}. Card {number} stays valid until the new card is handed over.</source>
        <translation>U regjistrua: {reason}. Karta {number} mbetet e vlefshme deri në dorëzimin e kartës së re.</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="223" />
        <source>Choose a scanned document</source>
        <translation>Zgjidhni një dokument të skanuar</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="264" />
        <source>Removing {name}…</source>
        <translation>Po hiqet {name}…</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="276" />
        <source>{name} is removed.</source>
        <translation>{name} u hoq.</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="148" />
        <location filename="../../ui/enrolment/review.py" line="224" />
        <source>PDF documents (*.pdf);;All files (*)</source>
        <translation>Dokumente PDF (*.pdf);;Të gjithë skedarët (*)</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="158" />
        <location filename="../../ui/enrolment/review.py" line="231" />
        <source>Attaching {name}…</source>
        <translation>Duke bashkëngjitur {name}…</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="169" />
        <location filename="../../ui/enrolment/review.py" line="246" />
        <source>{name} is attached.</source>
        <translation>{name} u bashkëngjit.</translation>
    </message>
</context>
<context>
    <name>DraftsModel</name>
    <message>
        <location filename="../../ui/enrolment/home.py" line="42" />
        <source>Application</source>
        <translation>Aplikimi</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/home.py" line="42" />
        <source>Applicant</source>
        <translation>Aplikanti</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/home.py" line="42" />
        <source>Card type</source>
        <translation>Lloji i kartës</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/home.py" line="43" />
        <source>State</source>
        <translation>Gjendja</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/home.py" line="43" />
        <source>Resumes at</source>
        <translation>Vazhdon te</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/home.py" line="43" />
        <source>Started</source>
        <translation>Filloi</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/home.py" line="47" />
        <source>Coupon</source>
        <translation>Kuponi</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/home.py" line="47" />
        <source>Residence permit</source>
        <translation>Leja e qëndrimit</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/home.py" line="48" />
        <source>Photo</source>
        <translation>Fotografia</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/home.py" line="48" />
        <source>Fingerprints</source>
        <translation>Shenjat e gishtërinjve</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/home.py" line="49" />
        <source>Signature</source>
        <translation>Nënshkrimi</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/home.py" line="49" />
        <source>Documents</source>
        <translation>Dokumentet</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/home.py" line="50" />
        <source>Review and submit</source>
        <translation>Kontrolli dhe dorëzimi</translation>
    </message>
</context>
<context>
    <name>DuplicateDialog</name>
    <message>
        <location filename="../../ui/supervisor/duplicates.py" line="38" />
        <source>Reason (required)</source>
        <translation>Arsyeja (e detyrueshme)</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/duplicates.py" line="40" />
        <source>Same person: reject application {number}</source>
        <translation>I njëjti person: refuzo aplikimin {number}</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/duplicates.py" line="42" />
        <source>&amp;Why is the applicant of {number} the same person as the applicant of {other}? Application {number} is rejected with this reason. (required)</source>
        <translation>&amp;Pse aplikanti i {number} është i njëjti person me aplikantin e {other}? Aplikimi {number} refuzohet me këtë arsye. (e detyrueshme)</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/duplicates.py" line="45" />
        <source>Same person: &amp;reject</source>
        <translation>I njëjti person: &amp;refuzo</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/duplicates.py" line="47" />
        <source>Another person</source>
        <translation>Person tjetër</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/duplicates.py" line="49" />
        <source>&amp;Why is the applicant of {number} another person than the applicant of {other}? The decision is kept in the application's history. (required)</source>
        <translation>&amp;Pse aplikanti i {number} është person tjetër nga aplikanti i {other}? Vendimi ruhet në historikun e aplikimit. (e detyrueshme)</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/duplicates.py" line="52" />
        <source>Another &amp;person</source>
        <translation>&amp;Person tjetër</translation>
    </message>
</context>
<context>
    <name>EnrolmentHome</name>
    <message>
        <location filename="../../ui/enrolment/home.py" line="117" />
        <source>&amp;New application</source>
        <translation>Aplikim i &amp;ri</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/home.py" line="119" />
        <source>&amp;Resume draft</source>
        <translation>&amp;Vazhdo draftin</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/home.py" line="120" />
        <source>Dis&amp;card draft…</source>
        <translation>&amp;Hidh poshtë draftin…</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/home.py" line="123" />
        <source>Re&amp;fresh</source>
        <translation>Ri&amp;fresko</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/home.py" line="138" />
        <source>My &amp;drafts (Enter or double-click resumes)</source>
        <translation>&amp;Draftet e mia (Enter ose klikim i dyfishtë për të vazhduar)</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/home.py" line="142" />
        <source>&amp;Submitted today</source>
        <translation>Të dorëzuara &amp;sot</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/home.py" line="208" />
        <source>Close the application's window before discarding it.</source>
        <translation>Mbyllni dritaren e aplikimit para se ta hidhni poshtë.</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/home.py" line="230" />
        <source>Draft {number} discarded.</source>
        <translation>Drafti {number} u hodh poshtë.</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/home.py" line="232" />
        <source>Coupon {code} is given back to the post office.</source>
        <translation>Kuponi {code} i kthehet postës.</translation>
    </message>
</context>
<context>
    <name>EnrolmentWizard</name>
    <message>
        <location filename="../../ui/enrolment/wizard.py" line="67" />
        <source>New application</source>
        <translation>Aplikim i ri</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/wizard.py" line="77" />
        <source>&amp;Back</source>
        <translation>&amp;Prapa</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/wizard.py" line="78" />
        <location filename="../../ui/enrolment/wizard.py" line="267" />
        <source>&amp;Next</source>
        <translation>&amp;Tjetri</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/wizard.py" line="79" />
        <source>&amp;Close</source>
        <translation>&amp;Mbyll</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/wizard.py" line="141" />
        <location filename="../../ui/enrolment/wizard.py" line="159" />
        <source>Application {number}</source>
        <translation>Aplikimi {number}</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/wizard.py" line="152" />
        <source>{step} (not needed: child)</source>
        <translation>{step} (nuk nevojitet: fëmijë)</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/wizard.py" line="172" />
        <source>Opening the draft…</source>
        <translation>Duke hapur draftin…</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/wizard.py" line="267" />
        <source>&amp;Finish</source>
        <translation>Për&amp;fundo</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/wizard.py" line="305" />
        <source>Close the application?</source>
        <translation>Të mbyllet aplikimi?</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/wizard.py" line="306" />
        <source>The draft is kept and can be resumed from the list of drafts. Close?</source>
        <translation>Drafti ruhet dhe mund të vazhdohet nga lista e drafteve. Të mbyllet?</translation>
    </message>
</context>
<context>
    <name>FaceMatches</name>
    <message>
        <location filename="../../ui/supervisor/duplicates.py" line="73" />
        <source>&amp;Same person…</source>
        <translation>I njëjti &amp;person…</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/duplicates.py" line="74" />
        <source>Ano&amp;ther person…</source>
        <translation>Person &amp;tjetër…</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/duplicates.py" line="102" />
        <source>Comparing the face and fingerprints with every applicant…</source>
        <translation>Fytyra dhe gjurmët e gishtave po krahasohen me çdo aplikant…</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/duplicates.py" line="119" />
        <source>{matched} with application {number} ({name}, {state}) — {decision}</source>
        <translation>{matched} me aplikimin {number} ({name}, {state}) — {decision}</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/duplicates.py" line="129" />
        <source>Face match {score:.0%}</source>
        <translation>Përputhje e fytyrës {score:.0%}</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/duplicates.py" line="135" />
        <source>fingerprints match ({fingers}; score {score}, a match from {least})</source>
        <translation>përputhje e gjurmëve të gishtave ({fingers}; pikë {score}, përputhje nga {least})</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/duplicates.py" line="153" />
        <source>Neither the face nor the fingerprints could be compared.</source>
        <translation>As fytyra, as gjurmët e gishtave nuk mund të krahasoheshin.</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/duplicates.py" line="112" />
        <source>decided: another person ({reason})</source>
        <translation>vendosur: person tjetër ({reason})</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/duplicates.py" line="64" />
        <source>Possible duplicates by face and fingerprints</source>
        <translation>Dyfishime të mundshme sipas fytyrës dhe gjurmëve të gishtave</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/duplicates.py" line="116" />
        <source>decided: same person</source>
        <translation>vendosur: i njëjti person</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/duplicates.py" line="118" />
        <source>no decision yet</source>
        <translation>pa vendim ende</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/duplicates.py" line="159" />
        <source>Decide on each match before approving ({count} without a decision).</source>
        <translation>Vendosni për çdo përputhje para miratimit ({count} pa vendim).</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/duplicates.py" line="163" />
        <source>Every match has a decision.</source>
        <translation>Çdo përputhje ka një vendim.</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/duplicates.py" line="172" />
        <source>No other applicant or card holder has these fingerprints (the face could not be compared).</source>
        <translation>Asnjë aplikant apo mbajtës karte tjetër nuk i ka këto gjurmë gishtash (fytyra nuk mund të krahasohej).</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/duplicates.py" line="177" />
        <source>No other applicant or card holder has this face (the fingerprints could not be compared).</source>
        <translation>Asnjë aplikant apo mbajtës karte tjetër nuk e ka këtë fytyrë (gjurmët e gishtave nuk mund të krahasoheshin).</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/duplicates.py" line="180" />
        <source>No other applicant or card holder has this face or these fingerprints.</source>
        <translation>Asnjë aplikant apo mbajtës karte tjetër nuk e ka këtë fytyrë apo këto gjurmë gishtash.</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/duplicates.py" line="235" />
        <source>The decision is recorded.</source>
        <translation>Vendimi u regjistrua.</translation>
    </message>
</context>
<context>
    <name>FingerprintsPage</name>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="72" />
        <source>Thumb</source>
        <translation>I madhi</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="72" />
        <source>Index</source>
        <translation>Treguesi</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="72" />
        <source>Middle</source>
        <translation>I mesmi</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="73" />
        <source>Ring</source>
        <translation>I unazës</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="73" />
        <source>Little</source>
        <translation>I vogli</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="82" />
        <source>Left hand</source>
        <translation>Dora e majtë</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="82" />
        <source>Right hand</source>
        <translation>Dora e djathtë</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="95" />
        <source>Capture next &amp;placement</source>
        <translation>&amp;Kap vendosjen tjetër</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="101" />
        <source>Supervisor &amp;override…</source>
        <translation>Miratim i m&amp;bikëqyrësit…</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="113" />
        <source>reason (required)</source>
        <translation>arsyeja (e detyrueshme)</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="114" />
        <source>Mark as e&amp;xception</source>
        <translation>Shëno si për&amp;jashtim</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="116" />
        <source>C&amp;lear exception</source>
        <translation>&amp;Hiq përjashtimin</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="118" />
        <source>Finger that cannot be captured</source>
        <translation>Gisht që nuk mund të kapet</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="154" />
        <source>Fingerprints</source>
        <translation>Shenjat e gishtërinjve</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="158" />
        <source>Right thumb</source>
        <translation>Gishti i madh i djathtë</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="158" />
        <source>Right index</source>
        <translation>Treguesi i djathtë</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="159" />
        <source>Right middle</source>
        <translation>Gishti i mesëm i djathtë</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="159" />
        <source>Right ring</source>
        <translation>Gishti i unazës i djathtë</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="160" />
        <source>Right little</source>
        <translation>Gishti i vogël i djathtë</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="160" />
        <source>Left thumb</source>
        <translation>Gishti i madh i majtë</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="161" />
        <source>Left index</source>
        <translation>Treguesi i majtë</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="161" />
        <source>Left middle</source>
        <translation>Gishti i mesëm i majtë</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="162" />
        <source>Left ring</source>
        <translation>Gishti i unazës i majtë</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="162" />
        <source>Left little</source>
        <translation>Gishti i vogël i majtë</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="204" />
        <source>Connecting to the fingerprint scanner…</source>
        <translation>Duke u lidhur me skanerin e gjurmëve…</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="248" />
        <source>Capturing… keep the fingers on the scanner.</source>
        <translation>Duke kapur… mbajini gishtat mbi skaner.</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="262" />
        <source>not seen</source>
        <translation>nuk u pa</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="264" />
        <source>Some fingers are below the quality threshold: capture again ({n} retries left).</source>
        <translation>Disa gishta janë nën pragun e cilësisë: kapini përsëri (mbeten {n} përpjekje).</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="268" />
        <source>No retries left: a supervisor override is needed, or mark the finger as an exception.</source>
        <translation>Nuk mbetën përpjekje: nevojitet miratimi i mbikëqyrësit, ose shënojeni gishtin si përjashtim.</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="290" />
        <source>All ten fingers are done. Press Next.</source>
        <translation>Të dhjetë gishtat janë gati. Shtypni Tjetri.</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="291" />
        <source>A supervisor override is needed.</source>
        <translation>Nevojitet miratimi i mbikëqyrësit.</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="292" />
        <source>the four fingers of the left hand</source>
        <translation>katër gishtat e dorës së majtë</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="293" />
        <source>the four fingers of the right hand</source>
        <translation>katër gishtat e dorës së djathtë</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="294" />
        <source>both thumbs</source>
        <translation>të dy gishtat e mëdhenj</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="295" />
        <source>Place {what} on the scanner and press Capture.</source>
        <translation>Vendosni {what} mbi skaner dhe shtypni Kap.</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="380" />
        <source>Storing the fingerprints…</source>
        <translation>Duke ruajtur gjurmët…</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/fingerprints.py" line="390" />
        <source>The fingerprints are stored.</source>
        <translation>Gjurmët u ruajtën.</translation>
    </message>
</context>
<context>
    <name>HandoverModel</name>
    <message>
        <location filename="../../ui/card_station/models.py" line="163" />
        <source>Application</source>
        <translation>Aplikimi</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/models.py" line="163" />
        <source>Surname</source>
        <translation>Mbiemri</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/models.py" line="163" />
        <source>Given names</source>
        <translation>Emrat</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/models.py" line="164" />
        <source>Personal number</source>
        <translation>Numri personal</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/models.py" line="164" />
        <source>Valid until</source>
        <translation>E vlefshme deri më</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <location filename="../../ui/search.py" line="71" />
        <source>When</source>
        <translation>Kur</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="71" />
        <source>Who</source>
        <translation>Kush</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="71" />
        <source>What</source>
        <translation>Çfarë</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="71" />
        <source>Details</source>
        <translation>Hollësi</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="95" />
        <source>from «{old}» to «{new}»</source>
        <translation>nga «{old}» në «{new}»</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="100" />
        <source>application {number}</source>
        <translation>aplikimi {number}</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="103" />
        <source>card type: {type}</source>
        <translation>lloji i kartës: {type}</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="107" />
        <source>coupon {code}</source>
        <translation>kuponi {code}</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="108" />
        <source>no coupon</source>
        <translation>pa kupon</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="111" />
        <source>age {age}, under {below}</source>
        <translation>mosha {age}, nën {below} vjeç</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="115" />
        <source>mobile number given</source>
        <translation>me numër celulari</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="116" />
        <source>no mobile number</source>
        <translation>pa numër celulari</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="118" />
        <source>e-mail given</source>
        <translation>me e-mail</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="118" />
        <source>no e-mail</source>
        <translation>pa e-mail</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="122" />
        <source>quality {quality}</source>
        <translation>cilësia {quality}</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="124" />
        <source>recorded as an exception</source>
        <translation>regjistruar si përjashtim</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="126" />
        <source>the applicant cannot sign</source>
        <translation>aplikanti nuk mund të nënshkruajë</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="127" />
        <source>signed</source>
        <translation>i nënshkruar</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="129" />
        <source>document no. {id}</source>
        <translation>dokumenti nr. {id}</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="131" />
        <source>{kb} KB</source>
        <translation>{kb} KB</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="133" />
        <source>card no. {id}</source>
        <translation>karta nr. {id}</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="135" />
        <source>document number {number}</source>
        <translation>numri i dokumentit {number}</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="140" />
        <source>{n} chip commands</source>
        <translation>{n} komanda të çipit</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="142" />
        <source>personal number {nid}</source>
        <translation>numri personal {nid}</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="144" />
        <source>new in the civil registry</source>
        <translation>i ri në Gjendjen Civile</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="145" />
        <source>already in the civil registry</source>
        <translation>ishte në Gjendjen Civile</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="147" />
        <source>operator {username}</source>
        <translation>operatori {username}</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="153" />
        <source>office {code}</source>
        <translation>zyra {code}</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="155" />
        <source>desk {name}</source>
        <translation>sporteli {name}</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/search.py" line="159" />
        <source>%n setting(s) changed</source>
        <translation>
            <numerusform>u ndryshua %n cilësim</numerusform>
            <numerusform>u ndryshuan %n cilësime</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="161" />
        <source>message {topic}</source>
        <translation>mesazhi {topic}</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="163" />
        <source>problem: {problem}</source>
        <translation>problemi: {problem}</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="165" />
        <source>reason: {reason}</source>
        <translation>arsyeja: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="167" />
        <source>confirmed with the registry by a supervisor</source>
        <translation>konfirmuar me regjistrin nga një mbikëqyrës</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="169" />
        <source>alert no. {id}</source>
        <translation>alarmi nr. {id}</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="171" />
        <source>note: {note}</source>
        <translation>shënim: {note}</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="173" />
        <source>privacy notice of {version}</source>
        <translation>njoftimi i privatësisë i {version}</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="176" />
        <source>{state} more than {days} days ago</source>
        <translation>«{state}» më shumë se {days} ditë më parë</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="180" />
        <source>{captures} capture(s), {signatures} signature(s) and {documents} scan(s) deleted</source>
        <translation>u fshinë {captures} kapje, {signatures} nënshkrim(e) dhe {documents} skanim(e)</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="185" />
        <source>the face vector deleted</source>
        <translation>u fshi vektori i fytyrës</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="187" />
        <source>the finger minutiae deleted</source>
        <translation>u fshinë pikat dalluese të gjurmëve të gishtave</translation>
    </message>
</context>
<context>
    <name>HomeWindow</name>
    <message>
        <location filename="../../ui/home.py" line="24" />
        <source>Residence cards</source>
        <translation>Kartat e qëndrimit</translation>
    </message>
    <message>
        <location filename="../../ui/home.py" line="33" />
        <source>Log out</source>
        <translation>Dil</translation>
    </message>
    <message>
        <location filename="../../ui/home.py" line="50" />
        <source>Enrolment</source>
        <translation>Pranimi</translation>
    </message>
    <message>
        <location filename="../../ui/home.py" line="54" />
        <source>Batches</source>
        <translation>Grupet</translation>
    </message>
    <message>
        <location filename="../../ui/home.py" line="58" />
        <source>Card station</source>
        <translation>Stacioni i kartave</translation>
    </message>
    <message>
        <location filename="../../ui/home.py" line="62" />
        <source>Administration</source>
        <translation>Administrimi</translation>
    </message>
    <message>
        <location filename="../../ui/home.py" line="65" />
        <source>Search</source>
        <translation>Kërkimi</translation>
    </message>
    <message>
        <location filename="../../ui/home.py" line="69" />
        <source>Delivery alerts</source>
        <translation>Alarmet e dërgimit</translation>
    </message>
    <message>
        <location filename="../../ui/home.py" line="72" />
        <source>Reports</source>
        <translation>Raportet</translation>
    </message>
    <message>
        <location filename="../../ui/home.py" line="28" />
        <source>Logged in as {user} ({role})</source>
        <translation>Jeni identifikuar si {user} ({role})</translation>
    </message>
</context>
<context>
    <name>LoadingNote</name>
    <message>
        <location filename="../../ui/tables.py" line="119" />
        <source>Loading…</source>
        <translation>Duke ngarkuar…</translation>
    </message>
</context>
<context>
    <name>LoginWindow</name>
    <message>
        <location filename="../../ui/login.py" line="38" />
        <source>Residence cards — login</source>
        <translation>Kartat e qëndrimit — hyrja</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="42" />
        <source>only supervisors and administrators</source>
        <translation>vetëm për mbikëqyrës dhe administratorë</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="43" />
        <source>Log in</source>
        <translation>Hyr</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="53" />
        <source>Username</source>
        <translation>Përdoruesi</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="54" />
        <source>Password</source>
        <translation>Fjalëkalimi</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="55" />
        <source>6-digit code</source>
        <translation>Kodi 6-shifror</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="56" />
        <source>Language</source>
        <translation>Gjuha</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="58" />
        <source>Biometric residence cards for foreign residents</source>
        <translation>Kartat biometrike të qëndrimit për shtetasit e huaj</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="78" />
        <source>Enter your username and password.</source>
        <translation>Shkruani përdoruesin dhe fjalëkalimin.</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="81" />
        <source>Checking…</source>
        <translation>Duke kontrolluar…</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="108" />
        <source>Unexpected error; see the log.</source>
        <translation>Gabim i papritur; shihni regjistrin.</translation>
    </message>
</context>
<context>
    <name>MeasureModel</name>
    <message>
        <location filename="../../ui/supervisor/reports.py" line="52" />
        <source>Section</source>
        <translation>Seksioni</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/reports.py" line="52" />
        <source>Measure</source>
        <translation>Masa</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/reports.py" line="52" />
        <source>Value</source>
        <translation>Vlera</translation>
    </message>
</context>
<context>
    <name>OfficesTab</name>
    <message>
        <location filename="../../ui/admin.py" line="270" />
        <location filename="../../ui/admin.py" line="296" />
        <source>Office</source>
        <translation>Zyra</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="270" />
        <location filename="../../ui/admin.py" line="284" />
        <location filename="../../ui/admin.py" line="297" />
        <source>Name</source>
        <translation>Emri</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="270" />
        <location filename="../../ui/admin.py" line="285" />
        <source>City</source>
        <translation>Qyteti</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="270" />
        <source>Desk</source>
        <translation>Sporteli</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="271" />
        <location filename="../../ui/admin.py" line="298" />
        <source>Kind</source>
        <translation>Lloji</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="280" />
        <source>Add o&amp;ffice</source>
        <translation>Shto &amp;zyrë</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="281" />
        <source>New office</source>
        <translation>Zyrë e re</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="283" />
        <source>Code (2 characters)</source>
        <translation>Kodi (2 shenja)</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="291" />
        <location filename="../../ui/admin.py" line="321" />
        <source>Enrolment desk</source>
        <translation>Sportel pranimi</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="292" />
        <location filename="../../ui/admin.py" line="321" />
        <source>Card station</source>
        <translation>Stacioni i kartave</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="293" />
        <source>Add &amp;desk</source>
        <translation>Shto &amp;sportel</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="294" />
        <source>New desk</source>
        <translation>Sportel i ri</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="353" />
        <source>Office {code} added.</source>
        <translation>Zyra {code} u shtua.</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="359" />
        <source>Add an office first.</source>
        <translation>Shtoni fillimisht një zyrë.</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="372" />
        <source>Desk {name} added.</source>
        <translation>Sporteli {name} u shtua.</translation>
    </message>
</context>
<context>
    <name>OperatorsTab</name>
    <message>
        <location filename="../../ui/admin.py" line="71" />
        <location filename="../../ui/admin.py" line="91" />
        <source>Username</source>
        <translation>Përdoruesi</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="71" />
        <location filename="../../ui/admin.py" line="92" />
        <source>Full name</source>
        <translation>Emri i plotë</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="71" />
        <location filename="../../ui/admin.py" line="93" />
        <source>Role</source>
        <translation>Roli</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="71" />
        <location filename="../../ui/admin.py" line="94" />
        <source>Office</source>
        <translation>Zyra</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="72" />
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="72" />
        <source>Locked until</source>
        <translation>I bllokuar deri</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="88" />
        <source>&amp;Add operator</source>
        <translation>&amp;Shto operator</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="89" />
        <source>New operator</source>
        <translation>Operator i ri</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="95" />
        <source>Password</source>
        <translation>Fjalëkalimi</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="96" />
        <source>Password again</source>
        <translation>Fjalëkalimi përsëri</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="99" />
        <source>&amp;Unlock selected</source>
        <translation>&amp;Zhblloko të zgjedhurin</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="106" />
        <source>Reset &amp;password</source>
        <translation>Rivendos &amp;fjalëkalimin</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="107" />
        <source>Selected operator</source>
        <translation>Operatori i zgjedhur</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="110" />
        <source>New password</source>
        <translation>Fjalëkalimi i ri</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="111" />
        <source>New password again</source>
        <translation>Fjalëkalimi i ri përsëri</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="144" />
        <source>yes</source>
        <translation>po</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="144" />
        <source>no</source>
        <translation>jo</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="157" />
        <source>(none)</source>
        <translation>(asnjë)</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="170" />
        <location filename="../../ui/admin.py" line="229" />
        <source>The two passwords are not the same.</source>
        <translation>Dy fjalëkalimet nuk janë të njëjta.</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="176" />
        <source>Adding…</source>
        <translation>Duke shtuar…</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="191" />
        <source>Operator {username} added.</source>
        <translation>Operatori {username} u shtua.</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="194" />
        <source>Second-factor secret (shown only now): {secret}</source>
        <translation>Sekreti i faktorit të dytë (tregohet vetëm tani): {secret}</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="208" />
        <location filename="../../ui/admin.py" line="225" />
        <source>Select an operator first.</source>
        <translation>Zgjidhni fillimisht një operator.</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="219" />
        <source>Operator {username} unlocked.</source>
        <translation>Operatori {username} u zhbllokua.</translation>
    </message>
    <message>
        <location filename="../../ui/admin.py" line="244" />
        <source>Password of {username} reset.</source>
        <translation>Fjalëkalimi i {username} u rivendos.</translation>
    </message>
</context>
<context>
    <name>PdfWindow</name>
    <message>
        <location filename="../../ui/pdf_view.py" line="35" />
        <source>The document {name} cannot be shown: it is missing or damaged. Make it again.</source>
        <translation>Dokumenti {name} nuk mund të shfaqet: mungon ose është i dëmtuar. Bëjeni përsëri.</translation>
    </message>
</context>
<context>
    <name>PermitPage</name>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="160" />
        <source>e.g. RP20240001</source>
        <translation>p.sh. RP20240001</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="163" />
        <source>ICAO code, e.g. RKS</source>
        <translation>kodi ICAO, p.sh. RKS</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="164" />
        <source>&amp;Look up</source>
        <translation>&amp;Kërko</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="169" />
        <source>&amp;Permit number</source>
        <translation>Numri i &amp;lejes</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="171" />
        <source>or p&amp;assport number</source>
        <translation>ose numri i p&amp;asaportës</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="172" />
        <source>and nationalit&amp;y</source>
        <translation>dhe shtetës&amp;ia</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="176" />
        <source>Surname</source>
        <translation>Mbiemri</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="176" />
        <source>Given names</source>
        <translation>Emrat</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="177" />
        <source>Father's name</source>
        <translation>Emri i babait</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="177" />
        <source>Mother's name</source>
        <translation>Emri i nënës</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="178" />
        <source>Sex</source>
        <translation>Gjinia</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="178" />
        <source>Date of birth</source>
        <translation>Datëlindja</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="179" />
        <source>Place of birth</source>
        <translation>Vendlindja</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="179" />
        <source>Nationality</source>
        <translation>Shtetësia</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="180" />
        <source>Passport</source>
        <translation>Pasaporta</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="180" />
        <source>Address in Albania</source>
        <translation>Adresa në Shqipëri</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="181" />
        <source>Permit</source>
        <translation>Leja</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="181" />
        <source>Permit type</source>
        <translation>Lloji i lejes</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="182" />
        <source>Valid until</source>
        <translation>E vlefshme deri më</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="182" />
        <source>Personal number (NID)</source>
        <translation>Numri personal (NID)</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="184" />
        <source>As written in the register</source>
        <translation>Siç është shkruar në regjistër</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="192" />
        <source>Contact for the card-ready notice</source>
        <translation>Kontakti për njoftimin se karta është gati</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="197" />
        <source>&amp;Mobile</source>
        <translation>&amp;Celulari</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="198" />
        <source>&amp;E-mail</source>
        <translation>&amp;E-maili</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="220" />
        <source>Residence permit</source>
        <translation>Leja e qëndrimit</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="270" />
        <source>Enter the permit number, or the passport number and nationality.</source>
        <translation>Shkruani numrin e lejes, ose numrin e pasaportës dhe shtetësinë.</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="279" />
        <source>Asking the foreigners' register…</source>
        <translation>Duke pyetur regjistrin e të huajve…</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="296" />
        <source>Permit found and linked to the application.</source>
        <translation>Leja u gjet dhe u lidh me aplikimin.</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/coupon_permit.py" line="310" />
        <source>The applicant is {age} (under {below}): no fingerprints are taken and no signature is asked.</source>
        <translation>Aplikanti është {age} vjeç (nën {below}): nuk merren shenja gishtash dhe nuk kërkohet nënshkrim.</translation>
    </message>
</context>
<context>
    <name>PhotoPage</name>
    <message>
        <location filename="../../ui/enrolment/photo.py" line="87" />
        <source>&amp;Retake</source>
        <translation>&amp;Bëje përsëri</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/photo.py" line="91" />
        <source>Photo taken</source>
        <translation>Fotoja e bërë</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/photo.py" line="101" />
        <source>What to correct:</source>
        <translation>Çfarë duhet korrigjuar:</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/photo.py" line="106" />
        <source>Photo</source>
        <translation>Fotografia</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/photo.py" line="115" />
        <location filename="../../ui/enrolment/photo.py" line="200" />
        <source>The photo is stored.</source>
        <translation>Fotoja u ruajt.</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/photo.py" line="141" />
        <source>Starting the camera…</source>
        <translation>Duke ndezur kamerën…</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/photo.py" line="180" />
        <source>All checks pass — hold still ({n})…</source>
        <translation>Të gjitha kontrollet kalojnë — qëndroni pa lëvizur ({n})…</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/photo.py" line="183" />
        <source>Looking for an acceptable photo…</source>
        <translation>Duke pritur një foto të pranueshme…</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/photo.py" line="189" />
        <source>Photo taken; storing…</source>
        <translation>Fotoja u bë; duke e ruajtur…</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/photo.py" line="214" />
        <source>Camera stopped. Press Retake to start again.</source>
        <translation>Kamera u ndal. Shtypni «Bëje përsëri» për të rifilluar.</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <location filename="../../ui/card_station/models.py" line="87" />
        <source>Application</source>
        <translation>Aplikimi</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/models.py" line="87" />
        <source>Surname</source>
        <translation>Mbiemri</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/models.py" line="87" />
        <source>Given names</source>
        <translation>Emrat</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/models.py" line="88" />
        <source>Nationality</source>
        <translation>Shtetësia</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/models.py" line="88" />
        <source>Born</source>
        <translation>Lindur</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/models.py" line="88" />
        <source>Personal number</source>
        <translation>Numri personal</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/models.py" line="89" />
        <source>Card</source>
        <translation>Karta</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/models.py" line="131" />
        <source>Blank {number} left in production</source>
        <translation>Karta e bardhë {number} ka mbetur në prodhim</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/models.py" line="135" />
        <source>Reprint ({count} spoiled)</source>
        <translation>Riprinto ({count} të dëmtuara)</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/models.py" line="136" />
        <source>Waiting</source>
        <translation>Në pritje</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="287" />
        <source>A reason is required: it is kept in the application's history and sent to the applicant.</source>
        <translation>Arsyeja është e detyrueshme: ruhet në historikun e aplikimit dhe i dërgohet aplikantit.</translation>
    </message>
</context>
<context>
    <name>RejectDialog</name>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="332" />
        <source>Reject application {number}</source>
        <translation>Refuzo aplikimin {number}</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="330" />
        <source>Reason (shown to the applicant)</source>
        <translation>Arsyeja (i tregohet aplikantit)</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="333" />
        <source>&amp;Why is this application rejected? (required)</source>
        <translation>&amp;Pse refuzohet ky aplikim? (e detyrueshme)</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/detail.py" line="334" />
        <source>&amp;Reject</source>
        <translation>&amp;Refuzo</translation>
    </message>
</context>
<context>
    <name>ReportPanel</name>
    <message>
        <location filename="../../ui/supervisor/reports.py" line="122" />
        <source>&amp;Show</source>
        <translation>&amp;Shfaq</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/reports.py" line="123" />
        <source>Export &amp;PDF…</source>
        <translation>Eksporto &amp;PDF…</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/reports.py" line="124" />
        <source>Export &amp;CSV…</source>
        <translation>Eksporto &amp;CSV…</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/reports.py" line="134" />
        <source>Applications by state at the end</source>
        <translation>Aplikimet sipas gjendjes në fund</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/reports.py" line="136" />
        <location filename="../../ui/supervisor/reports.py" line="230" />
        <source>Cards</source>
        <translation>Kartat</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/reports.py" line="143" />
        <source>&amp;Office</source>
        <translation>&amp;Zyra</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/reports.py" line="143" />
        <source>&amp;From</source>
        <translation>&amp;Nga</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/reports.py" line="144" />
        <source>&amp;To</source>
        <translation>&amp;Deri</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/reports.py" line="219" />
        <source>Office {office} · {period}</source>
        <translation>Zyra {office} · {period}</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/reports.py" line="225" />
        <source>Applications</source>
        <translation>Aplikimet</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/reports.py" line="231" />
        <source>Produced</source>
        <translation>Të prodhuara</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/reports.py" line="231" />
        <source>Spoiled</source>
        <translation>Të dëmtuara</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/reports.py" line="231" />
        <source>Voided</source>
        <translation>Të anuluara</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/reports.py" line="231" />
        <source>Superseded</source>
        <translation>Të zëvendësuara</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/reports.py" line="232" />
        <source>Revoked</source>
        <translation>Të revokuara</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/reports.py" line="232" />
        <source>Handed over</source>
        <translation>Të dorëzuara</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/reports.py" line="254" />
        <source>PDF files (*.pdf)</source>
        <translation>Skedarë PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/reports.py" line="254" />
        <source>CSV files (*.csv)</source>
        <translation>Skedarë CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/reports.py" line="256" />
        <source>Save the report</source>
        <translation>Ruaj raportin</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/reports.py" line="285" />
        <source>The report was saved to {path}.</source>
        <translation>Raporti u ruajt te {path}.</translation>
    </message>
</context>
<context>
    <name>ResolveDialog</name>
    <message>
        <location filename="../../ui/supervisor/alerts.py" line="60" />
        <source>Resolve alert {id}</source>
        <translation>Zgjidh alarmin {id}</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/alerts.py" line="62" />
        <source>How was it settled? (kept in the audit trail)</source>
        <translation>Si u zgjidh? (ruhet në gjurmën e auditimit)</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/alerts.py" line="68" />
        <source>&amp;Resolve</source>
        <translation>&amp;Zgjidh</translation>
    </message>
    <message>
        <location filename="../../ui/supervisor/alerts.py" line="75" />
        <source>The message will not be sent again. For a person the civil registry holds otherwise, resolve only once you confirmed the identity with the registry: the application then becomes e-Albania ready.</source>
        <translation>Mesazhi nuk do të dërgohet më. Për një person që Gjendja Civile e mban ndryshe, zgjidheni vetëm pasi të keni konfirmuar identitetin me regjistrin: aplikimi atëherë bëhet gati për e-Albania.</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <location filename="../../ui/enrolment/review.py" line="298" />
        <source>Application</source>
        <translation>Aplikimi</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="298" />
        <source>Card type</source>
        <translation>Lloji i kartës</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="299" />
        <source>Coupon</source>
        <translation>Kuponi</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="299" />
        <source>Surname</source>
        <translation>Mbiemri</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="300" />
        <source>Given names</source>
        <translation>Emrat</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="300" />
        <source>Father's name</source>
        <translation>Emri i babait</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="301" />
        <source>Date and place of birth</source>
        <translation>Data dhe vendi i lindjes</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="302" />
        <source>Nationality</source>
        <translation>Shtetësia</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="302" />
        <source>Passport</source>
        <translation>Pasaporta</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="303" />
        <source>Permit</source>
        <translation>Leja</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="303" />
        <source>Contact</source>
        <translation>Kontakti</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="304" />
        <source>Fingerprints</source>
        <translation>Shenjat e gishtërinjve</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="304" />
        <source>Signature</source>
        <translation>Nënshkrimi</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="305" />
        <source>Documents</source>
        <translation>Dokumentet</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="318" />
        <source>Privacy notice</source>
        <translation>Njoftimi i privatësisë</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="324" />
        <source>The applicant has read and &amp;accepted the privacy notice</source>
        <translation>Aplikanti e ka lexuar dhe e ka pr&amp;anuar njoftimin e privatësisë</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="330" />
        <source>&amp;Submit application</source>
        <translation>&amp;Dorëzo aplikimin</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="339" />
        <source>&amp;Open receipt</source>
        <translation>&amp;Hap dëftesën</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="342" />
        <source>&amp;Print again</source>
        <translation>Pr&amp;into përsëri</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="371" />
        <source>Review and submit</source>
        <translation>Kontrolli dhe dorëzimi</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="379" />
        <source>Loading the summary…</source>
        <translation>Duke ngarkuar përmbledhjen…</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="401" />
        <source>{number}, valid until {until}</source>
        <translation>{number}, e vlefshme deri më {until}</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="410" />
        <source>{n} captured</source>
        <translation>{n} të kapur</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="412" />
        <source>exceptions: {list}</source>
        <translation>përjashtime: {list}</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="415" />
        <source>none: child under {below}</source>
        <translation>asnjë: fëmijë nën {below} vjeç</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="421" />
        <source>cannot sign: {reason}</source>
        <translation>nuk mund të nënshkruajë: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="424" />
        <source>signed</source>
        <translation>i nënshkruar</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="430" />
        <source>This application is already submitted.</source>
        <translation>Ky aplikim është dorëzuar tashmë.</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="479" />
        <source>Submitting…</source>
        <translation>Duke dorëzuar…</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="485" />
        <source>The application is submitted; the coupon is used.</source>
        <translation>Aplikimi u dorëzua; kuponi u përdor.</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="486" />
        <source>Receipt saved to {path}</source>
        <translation>Dëftesa u ruajt në {path}</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="501" />
        <source>Printing the receipt…</source>
        <translation>Duke printuar dëftesën…</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/review.py" line="511" />
        <source>Receipt printed; hand it to the applicant.</source>
        <translation>Dëftesa u printua; jepjani aplikantit.</translation>
    </message>
</context>
<context>
    <name>RevokeCardDialog</name>
    <message>
        <location filename="../../ui/revoke_card.py" line="28" />
        <source>Revoke card {number}</source>
        <translation>Revoko kartën {number}</translation>
    </message>
    <message>
        <location filename="../../ui/revoke_card.py" line="30" />
        <source>— choose the reason —</source>
        <translation>— zgjidhni arsyen —</translation>
    </message>
    <message>
        <location filename="../../ui/revoke_card.py" line="34" />
        <source>e.g. the FER decision's number</source>
        <translation>p.sh. numri i vendimit të FER</translation>
    </message>
    <message>
        <location filename="../../ui/revoke_card.py" line="40" />
        <source>&amp;Revoke card</source>
        <translation>&amp;Revoko kartën</translation>
    </message>
    <message>
        <location filename="../../ui/revoke_card.py" line="47" />
        <source>R&amp;eason</source>
        <translation>&amp;Arsyeja</translation>
    </message>
    <message>
        <location filename="../../ui/revoke_card.py" line="49" />
        <source>&amp;Note</source>
        <translation>&amp;Shënim</translation>
    </message>
    <message>
        <location filename="../../ui/revoke_card.py" line="55" />
        <source>Card {number} will no longer be valid. The civil registry and FER are told, and the holder is notified. This cannot be undone.</source>
        <translation>Karta {number} nuk do të jetë më e vlefshme. Njoftohen gjendja civile dhe FER, si edhe mbajtësi. Ky veprim nuk kthehet mbrapsht.</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <location filename="../../ui/search.py" line="203" />
        <source>NID, document number, permit, passport or name (without diacritics)</source>
        <translation>NID, numri i dokumentit, leja, pasaporta ose emri (pa ë dhe ç)</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="221" />
        <source>Re&amp;voke card…</source>
        <translation>Re&amp;voko kartën…</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="251" />
        <source>&amp;Search</source>
        <translation>&amp;Kërko</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="279" />
        <source>Searching…</source>
        <translation>Duke kërkuar…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/search.py" line="290" />
        <source>%n application(s) found.</source>
        <translation>
            <numerusform>U gjet %n aplikim.</numerusform>
            <numerusform>U gjetën %n aplikime.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="292" />
        <source>Nothing found.</source>
        <translation>Nuk u gjet asgjë.</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="311" />
        <source>History of application {number}</source>
        <translation>Historia e aplikimit {number}</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="313" />
        <source>Loading…</source>
        <translation>Duke ngarkuar…</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="365" />
        <source>Valid card {number}, expires {date}</source>
        <translation>Kartë e vlefshme {number}, skadon më {date}</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="370" />
        <source>Card {number}: not valid ({status})</source>
        <translation>Karta {number}: e pavlefshme ({status})</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="373" />
        <source>No card produced for this application.</source>
        <translation>Për këtë aplikim nuk është prodhuar kartë.</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="378" />
        <source>produced</source>
        <translation>e prodhuar</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="378" />
        <source>handed over</source>
        <translation>e dorëzuar</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="379" />
        <source>revoked</source>
        <translation>e revokuar</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="379" />
        <source>superseded</source>
        <translation>e zëvendësuar</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="380" />
        <source>void</source>
        <translation>e anuluar</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="380" />
        <source>spoiled</source>
        <translation>e dëmtuar në prodhim</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="420" />
        <source>Revoking card {number}…</source>
        <translation>Po revokohet karta {number}…</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="431" />
        <source>Card {number} is revoked ({reason}). The civil registry and FER are told.</source>
        <translation>Karta {number} u revokua ({reason}). Njoftohen gjendja civile dhe FER.</translation>
    </message>
</context>
<context>
    <name>SearchResultsModel</name>
    <message>
        <location filename="../../ui/search.py" line="43" />
        <source>Application</source>
        <translation>Aplikimi</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="43" />
        <source>Surname</source>
        <translation>Mbiemri</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="43" />
        <source>Given names</source>
        <translation>Emrat</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="44" />
        <source>Personal number</source>
        <translation>Numri personal</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="44" />
        <source>State</source>
        <translation>Gjendja</translation>
    </message>
</context>
<context>
    <name>SignaturePage</name>
    <message>
        <location filename="../../ui/enrolment/signature.py" line="112" />
        <source>C&amp;lear</source>
        <translation>Pa&amp;stro</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/signature.py" line="113" />
        <source>&amp;Undo stroke</source>
        <translation>&amp;Zhbëj vijën</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/signature.py" line="114" />
        <source>The applicant cannot si&amp;gn</source>
        <translation>Aplikanti &amp;nuk mund të nënshkruajë</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/signature.py" line="117" />
        <source>reason (required)</source>
        <translation>arsyeja (e detyrueshme)</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/signature.py" line="129" />
        <source>The applicant signs in the box below.</source>
        <translation>Aplikanti nënshkruan në kutinë më poshtë.</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/signature.py" line="143" />
        <source>Signature</source>
        <translation>Nënshkrimi</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/signature.py" line="158" />
        <location filename="../../ui/enrolment/signature.py" line="237" />
        <source>The signature is stored.</source>
        <translation>Nënshkrimi u ruajt.</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/signature.py" line="173" />
        <source>The signature begun before the draft was closed is back: finish it, or clear it.</source>
        <translation>Nënshkrimi i nisur para se të mbyllej drafti u rikthye: përfundojeni ose fshijeni.</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/signature.py" line="232" />
        <source>Storing the signature…</source>
        <translation>Duke ruajtur nënshkrimin…</translation>
    </message>
</context>
<context>
    <name>SpoilDialog</name>
    <message>
        <location filename="../../ui/card_station/dialogs.py" line="18" />
        <source>Record card {number} as spoiled</source>
        <translation>Shëno kartën {number} si të dëmtuar</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/dialogs.py" line="24" />
        <source>The production run was interrupted</source>
        <translation>Prodhimi u ndërpre</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/dialogs.py" line="25" />
        <source>Misprinted card face</source>
        <translation>Faqja e kartës u printua gabim</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/dialogs.py" line="26" />
        <source>The card was pulled out of the reader</source>
        <translation>Karta u hoq nga lexuesi</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/dialogs.py" line="27" />
        <source>The card is physically damaged</source>
        <translation>Karta është e dëmtuar fizikisht</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/dialogs.py" line="32" />
        <source>What happened to this blank?</source>
        <translation>Çfarë ndodhi me këtë kartë të bardhë?</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/dialogs.py" line="37" />
        <source>Record as &amp;spoiled</source>
        <translation>Shëno si të &amp;dëmtuar</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/dialogs.py" line="43" />
        <source>Card {number} will never be used: its chip and print are of unknown state. Its application returns to the queue for a new blank.</source>
        <translation>Karta {number} nuk do të përdoret kurrë: gjendja e çipit dhe e printimit nuk dihet. Aplikimi i saj kthehet në radhë për një kartë të re të bardhë.</translation>
    </message>
</context>
<context>
    <name>SpoiledModel</name>
    <message>
        <location filename="../../ui/card_station/models.py" line="145" />
        <source>Card</source>
        <translation>Karta</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/models.py" line="145" />
        <source>Application</source>
        <translation>Aplikimi</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/models.py" line="145" />
        <source>Name</source>
        <translation>Emri</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/models.py" line="145" />
        <source>Reason</source>
        <translation>Arsyeja</translation>
    </message>
    <message>
        <location filename="../../ui/card_station/models.py" line="146" />
        <source>When</source>
        <translation>Kur</translation>
    </message>
</context>
<context>
    <name>SubmissionsModel</name>
    <message>
        <location filename="../../ui/enrolment/home.py" line="62" />
        <source>Application</source>
        <translation>Aplikimi</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/home.py" line="62" />
        <source>Applicant</source>
        <translation>Aplikanti</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/home.py" line="62" />
        <source>Card type</source>
        <translation>Lloji i kartës</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/home.py" line="63" />
        <source>Submitted</source>
        <translation>Të dorëzuara</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/home.py" line="63" />
        <source>State</source>
        <translation>Gjendja</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/home.py" line="63" />
        <source>Rejection reason</source>
        <translation>Arsyeja e refuzimit</translation>
    </message>
</context>
<context>
    <name>SupervisorDialog</name>
    <message>
        <location filename="../../ui/enrolment/supervisor.py" line="39" />
        <source>Supervisor override</source>
        <translation>Miratimi i mbikëqyrësit</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/supervisor.py" line="48" />
        <source>Supervisor</source>
        <translation>Mbikëqyrësi</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/supervisor.py" line="49" />
        <source>Password</source>
        <translation>Fjalëkalimi</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/supervisor.py" line="50" />
        <source>6-digit code</source>
        <translation>Kodi 6-shifror</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/supervisor.py" line="51" />
        <source>Reason</source>
        <translation>Arsyeja</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/supervisor.py" line="60" />
        <source>A supervisor accepts the fingers below the quality threshold. The supervisor signs in here.</source>
        <translation>Një mbikëqyrës pranon gishtat nën pragun e cilësisë. Mbikëqyrësi identifikohet këtu.</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/supervisor.py" line="76" />
        <source>Enter the supervisor's username, password and the reason.</source>
        <translation>Shkruani përdoruesin dhe fjalëkalimin e mbikëqyrësit, si dhe arsyen.</translation>
    </message>
    <message>
        <location filename="../../ui/enrolment/supervisor.py" line="81" />
        <source>Checking…</source>
        <translation>Duke kontrolluar…</translation>
    </message>
</context>
</TS>