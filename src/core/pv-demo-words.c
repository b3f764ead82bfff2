/* pv-demo-words.c: the words the demo dataset is made of
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Data, not interface: these are what a company's records would say, so they are not
 * translated through gettext; each has its Persian and its English form.
 */
#include "config.h"

#include "pv-demo-words.h"

#define COUNT(name) const guint pv_demo_n_##name = G_N_ELEMENTS (pv_demo_##name)

const PvDemoWord pv_demo_male_names[] = {
  { "علی", "Ali" }, { "محمد", "Mohammad" }, { "حسین", "Hossein" }, { "رضا", "Reza" },
  { "مهدی", "Mehdi" }, { "امیر", "Amir" }, { "حمید", "Hamid" }, { "سعید", "Saeed" },
  { "مجید", "Majid" }, { "بهزاد", "Behzad" }, { "کاوه", "Kaveh" }, { "آرش", "Arash" },
  { "بابک", "Babak" }, { "فرهاد", "Farhad" }, { "کامران", "Kamran" }, { "پیمان", "Peyman" },
  { "سیاوش", "Siavash" }, { "داریوش", "Dariush" }, { "مسعود", "Masoud" }, { "نیما", "Nima" },
  { "امید", "Omid" }, { "یوسف", "Yousef" }, { "جواد", "Javad" }, { "اکبر", "Akbar" },
  { "مرتضی", "Morteza" }, { "مصطفی", "Mostafa" }, { "کیوان", "Keyvan" }, { "شهرام", "Shahram" },
  { "بیژن", "Bijan" }, { "هومن", "Houman" }, { "پویا", "Pouya" }, { "سینا", "Sina" },
};
COUNT (male_names);

const PvDemoWord pv_demo_female_names[] = {
  { "مریم", "Maryam" }, { "فاطمه", "Fatemeh" }, { "زهرا", "Zahra" }, { "سارا", "Sara" },
  { "نرگس", "Narges" }, { "لیلا", "Leila" }, { "مینا", "Mina" }, { "شیرین", "Shirin" },
  { "پریسا", "Parisa" }, { "نازنین", "Nazanin" }, { "الهام", "Elham" }, { "سمیرا", "Samira" },
  { "آزاده", "Azadeh" }, { "مهسا", "Mahsa" }, { "نسرین", "Nasrin" }, { "ژاله", "Zhaleh" },
  { "ترانه", "Taraneh" }, { "رویا", "Roya" }, { "فرزانه", "Farzaneh" }, { "هانیه", "Hanieh" },
  { "یاسمن", "Yasaman" }, { "کیمیا", "Kimia" }, { "بهاره", "Bahareh" }, { "گلناز", "Golnaz" },
  { "شقایق", "Shaghayegh" }, { "ستاره", "Setareh" }, { "آیدا", "Aida" }, { "مهتاب", "Mahtab" },
};
COUNT (female_names);

const PvDemoWord pv_demo_surnames[] = {
  { "احمدی", "Ahmadi" }, { "محمدی", "Mohammadi" }, { "حسینی", "Hosseini" },
  { "رضایی", "Rezaei" }, { "کریمی", "Karimi" }, { "موسوی", "Mousavi" }, { "جعفری", "Jafari" },
  { "رحیمی", "Rahimi" }, { "صادقی", "Sadeghi" }, { "نوری", "Nouri" }, { "قاسمی", "Ghasemi" },
  { "اکبری", "Akbari" }, { "طاهری", "Taheri" }, { "عباسی", "Abbasi" }, { "کاظمی", "Kazemi" },
  { "مرادی", "Moradi" }, { "حیدری", "Heydari" }, { "شریفی", "Sharifi" }, { "نجفی", "Najafi" },
  { "یزدانی", "Yazdani" }, { "فرهادی", "Farhadi" }, { "تهرانی", "Tehrani" },
  { "اصفهانی", "Esfahani" }, { "شیرازی", "Shirazi" }, { "تبریزی", "Tabrizi" },
  { "کرمانی", "Kermani" }, { "رستمی", "Rostami" }, { "بهرامی", "Bahrami" },
  { "سلطانی", "Soltani" }, { "پاکزاد", "Pakzad" }, { "نیک‌نام", "Niknam" },
  { "خسروی", "Khosravi" }, { "جهانگیری", "Jahangiri" }, { "امینی", "Amini" },
  { "افشار", "Afshar" }, { "زمانی", "Zamani" }, { "ملکی", "Maleki" }, { "فتحی", "Fathi" },
  { "ابراهیمی", "Ebrahimi" }, { "هاشمی", "Hashemi" }, { "دلاوری", "Delavari" },
  { "میرزایی", "Mirzaei" }, { "باقری", "Bagheri" }, { "سبحانی", "Sobhani" },
};
COUNT (surnames);

const PvDemoWord pv_demo_company_kinds[] = {
  { "شرکت", "" }, { "بازرگانی", "Trading" }, { "صنایع", "Industries" }, { "گروه", "Group" },
  { "فروشگاه", "Store" }, { "مهندسی", "Engineering" }, { "تولیدی", "Manufacturing" },
  { "پخش", "Distribution" },
};
COUNT (company_kinds);

const PvDemoWord pv_demo_company_names[] = {
  { "نوین پارس", "Novin Pars" }, { "مهرگان", "Mehregan" }, { "آریا", "Aria" },
  { "سپهر", "Sepehr" }, { "البرز", "Alborz" }, { "دماوند", "Damavand" }, { "کیان", "Kian" },
  { "پارسیان", "Parsian" }, { "آفتاب", "Aftab" }, { "ستاره شرق", "Setareh Shargh" },
  { "راهبرد", "Rahbord" }, { "پیشگامان", "Pishgaman" }, { "نیکان", "Nikan" },
  { "آسیا", "Asia" }, { "زاگرس", "Zagros" }, { "خلیج فارس", "Persian Gulf" },
  { "سامان", "Saman" }, { "هامون", "Hamoun" }, { "بهین", "Behin" }, { "تابان", "Taban" },
  { "فن‌آوران", "Fanavaran" }, { "ایران‌تک", "IranTech" }, { "سپید", "Sepid" },
  { "آتیه", "Atieh" }, { "پرشین", "Persian" }, { "کاوش", "Kavosh" }, { "رایان", "Rayan" },
  { "ارغوان", "Arghavan" }, { "مهر آفرین", "Mehr Afarin" }, { "گلستان", "Golestan" },
  { "نگین", "Negin" }, { "آینده‌سازان", "Ayandehsazan" }, { "پویش", "Pouyesh" },
  { "سیمرغ", "Simorgh" }, { "تیراژه", "Tirajeh" }, { "بامداد", "Bamdad" },
};
COUNT (company_names);

const PvDemoWord pv_demo_industries[] = {
  { "صنایع غذایی", "Food" }, { "خودرو", "Automotive" }, { "ساختمان", "Construction" },
  { "بیمارستان و درمان", "Healthcare" }, { "آموزش", "Education" }, { "بانک و بیمه", "Finance" },
  { "فناوری اطلاعات", "Information technology" }, { "پتروشیمی", "Petrochemicals" },
  { "خرده‌فروشی", "Retail" }, { "هتل و گردشگری", "Hospitality" }, { "کشاورزی", "Agriculture" },
  { "دولتی", "Government" },
};
COUNT (industries);

const PvDemoWord pv_demo_roles[] = {
  { "مدیرعامل", "CEO" }, { "مدیر خرید", "Purchasing manager" }, { "مدیر مالی", "CFO" },
  { "کارشناس فنی", "Technical expert" }, { "مدیر فناوری اطلاعات", "IT manager" },
  { "کارشناس خرید", "Buyer" }, { "مدیر تولید", "Production manager" },
  { "مسئول دفتر", "Office manager" }, { "مدیر بازرگانی", "Commercial manager" },
};
COUNT (roles);

const PvDemoWord pv_demo_tags[] = {
  { "ویژه", "vip" }, { "عمده", "wholesale" }, { "دولتی", "government" },
  { "نمایشگاه ۱۴۰۴", "expo-2025" }, { "قرارداد سالانه", "annual-contract" },
  { "بدحساب", "late-payer" }, { "وفادار", "loyal" }, { "شهرستان", "provincial" },
};
COUNT (tags);

const PvDemoWord pv_demo_sources[] = {
  { "وب‌سایت", "Website" }, { "معرفی", "Referral" }, { "نمایشگاه", "Trade show" },
  { "تماس ورودی", "Inbound call" }, { "پیامک", "SMS" }, { "شبکه‌های اجتماعی", "Social media" },
  { "بازاریابی تلفنی", "Cold call" }, { "نماینده", "Reseller" },
};
COUNT (sources);

const PvDemoCity pv_demo_cities[] = {
  { "تهران", "Tehran", "تهران", "Tehran", "021", 40 },
  { "مشهد", "Mashhad", "خراسان رضوی", "Razavi Khorasan", "051", 8 },
  { "اصفهان", "Isfahan", "اصفهان", "Isfahan", "031", 8 },
  { "کرج", "Karaj", "البرز", "Alborz", "026", 6 },
  { "شیراز", "Shiraz", "فارس", "Fars", "071", 6 },
  { "تبریز", "Tabriz", "آذربایجان شرقی", "East Azerbaijan", "041", 6 },
  { "قم", "Qom", "قم", "Qom", "025", 3 },
  { "اهواز", "Ahvaz", "خوزستان", "Khuzestan", "061", 4 },
  { "کرمانشاه", "Kermanshah", "کرمانشاه", "Kermanshah", "083", 2 },
  { "ارومیه", "Urmia", "آذربایجان غربی", "West Azerbaijan", "044", 2 },
  { "رشت", "Rasht", "گیلان", "Gilan", "013", 3 },
  { "کرمان", "Kerman", "کرمان", "Kerman", "034", 2 },
  { "یزد", "Yazd", "یزد", "Yazd", "035", 2 },
  { "همدان", "Hamadan", "همدان", "Hamadan", "081", 2 },
  { "اراک", "Arak", "مرکزی", "Markazi", "086", 2 },
  { "قزوین", "Qazvin", "قزوین", "Qazvin", "028", 2 },
  { "ساری", "Sari", "مازندران", "Mazandaran", "011", 2 },
  { "بندرعباس", "Bandar Abbas", "هرمزگان", "Hormozgan", "076", 2 },
  { "زنجان", "Zanjan", "زنجان", "Zanjan", "024", 1 },
  { "سنندج", "Sanandaj", "کردستان", "Kurdistan", "087", 1 },
  { "گرگان", "Gorgan", "گلستان", "Golestan", "017", 1 },
  { "بوشهر", "Bushehr", "بوشهر", "Bushehr", "077", 1 },
};
COUNT (cities);

const PvDemoProduct pv_demo_products[] = {
  { "UPS-1K", "یو‌پی‌اس ۱ کیلوولت‌آمپر", "UPS 1 kVA", FALSE, 185000000, 18, 365 },
  { "UPS-3K", "یو‌پی‌اس ۳ کیلوولت‌آمپر", "UPS 3 kVA", FALSE, 420000000, 18, 365 },
  { "UPS-10K", "یو‌پی‌اس ۱۰ کیلوولت‌آمپر", "UPS 10 kVA", FALSE, 1350000000, 24, 180 },
  { "BAT-12V", "باتری ۱۲ ولت ۹ آمپر", "Battery 12 V 9 Ah", FALSE, 9500000, 6, 0 },
  { "AC-18", "کولر گازی ۱۸ هزار", "Split air conditioner 18k BTU", FALSE, 380000000, 36, 180 },
  { "AC-24", "کولر گازی ۲۴ هزار", "Split air conditioner 24k BTU", FALSE, 470000000, 36, 180 },
  { "AC-DUCT", "داکت اسپلیت ۶۰ هزار", "Ducted split 60k BTU", FALSE, 1650000000, 36, 180 },
  { "PRN-LJ", "چاپگر لیزری اداری", "Office laser printer", FALSE, 145000000, 12, 120 },
  { "PRN-IND", "چاپگر صنعتی برچسب", "Industrial label printer", FALSE, 690000000, 12, 90 },
  { "TONER", "کارتریج تونر", "Toner cartridge", FALSE, 6500000, 0, 60 },
  { "RIBBON", "ریبون چاپگر برچسب", "Label printer ribbon", FALSE, 3200000, 0, 45 },
  { "FILTER", "فیلتر تصفیه آب صنعتی", "Industrial water filter", FALSE, 12000000, 0, 90 },
  { "RO-500", "دستگاه تصفیه آب ۵۰۰ لیتری", "Reverse osmosis unit 500 L", FALSE, 890000000, 24, 90 },
  { "CCTV-8", "سامانه دوربین مداربسته ۸ کانال", "CCTV system, 8 channels", FALSE, 320000000, 12, 365 },
  { "NVR", "ضبط‌کننده تصویر تحت شبکه", "Network video recorder", FALSE, 98000000, 12, 0 },
  { "SW-24", "سوییچ شبکه ۲۴ پورت", "Network switch, 24 ports", FALSE, 135000000, 24, 0 },
  { "SRV-R", "سرور رکمونت", "Rack server", FALSE, 2400000000, 36, 365 },
  { "POS", "صندوق فروشگاهی", "Point-of-sale terminal", FALSE, 165000000, 12, 365 },
  { "SCALE", "ترازوی دیجیتال", "Digital scale", FALSE, 42000000, 12, 365 },
  { "GEN-20", "دیزل ژنراتور ۲۰ کیلووات", "Diesel generator 20 kW", FALSE, 2100000000, 24, 180 },
  { "SVC-INST", "نصب و راه‌اندازی", "Installation and commissioning", TRUE, 35000000, 0, 0 },
  { "SVC-AMC", "قرارداد سرویس سالانه", "Annual maintenance contract", TRUE, 120000000, 0, 365 },
  { "SVC-REP", "تعمیر در محل", "On-site repair", TRUE, 18000000, 0, 0 },
  { "SVC-TRN", "آموزش کاربران", "User training", TRUE, 25000000, 0, 0 },
  { "SVC-PM", "سرویس دوره‌ای", "Preventive maintenance visit", TRUE, 14000000, 0, 180 },
  { "SVC-CONS", "مشاوره و طراحی", "Consulting and design", TRUE, 60000000, 0, 0 },
  { "SVC-EXT", "تمدید گارانتی یک‌ساله", "One-year warranty extension", TRUE, 30000000, 0, 0 },
};
COUNT (products);

const PvDemoWord pv_demo_lost_reasons[] = {
  { "قیمت بالا", "Price too high" }, { "انتخاب رقیب", "Chose a competitor" },
  { "نبود بودجه", "No budget" }, { "زمان نامناسب", "Bad timing" },
  { "بی‌پاسخ ماند", "No response" }, { "نیاز برطرف نشد", "Did not fit the need" },
};
COUNT (lost_reasons);

const PvDemoWord pv_demo_call_subjects[] = {
  { "پیگیری پیش‌فاکتور", "Follow up on the quote" }, { "هماهنگی تحویل", "Arrange the delivery" },
  { "معرفی محصولات جدید", "Introduce the new products" },
  { "پرسش درباره گارانتی", "Question about the warranty" },
  { "پیگیری پرداخت", "Follow up on the payment" }, { "تمدید قرارداد", "Contract renewal" },
  { "نظرسنجی پس از خرید", "After-sales survey" }, { "درخواست کاتالوگ", "Catalogue request" },
};
COUNT (call_subjects);

const PvDemoWord pv_demo_meeting_subjects[] = {
  { "جلسه معرفی", "Introduction meeting" }, { "مذاکره قیمت", "Price negotiation" },
  { "بازدید از محل نصب", "Site survey" }, { "ارائه فنی", "Technical presentation" },
  { "جلسه بررسی قرارداد", "Contract review" }, { "بازدید دوره‌ای", "Periodic visit" },
};
COUNT (meeting_subjects);

const PvDemoWord pv_demo_task_subjects[] = {
  { "ارسال پیش‌فاکتور", "Send the quote" }, { "ارسال کاتالوگ", "Send the catalogue" },
  { "تهیه پیشنهاد فنی", "Prepare the technical proposal" },
  { "هماهنگی با انبار", "Check stock with the warehouse" },
  { "ثبت سفارش", "Enter the order" }, { "پیگیری چک", "Follow up the cheque" },
};
COUNT (task_subjects);

const PvDemoWord pv_demo_outcomes[] = {
  { "مشتری علاقه‌مند است", "Interested" }, { "تماس بعدی هفته آینده", "Call again next week" },
  { "پیش‌فاکتور خواست", "Asked for a quote" }, { "پاسخ نداد", "No answer" },
  { "تصمیم با مدیرعامل است", "The CEO decides" }, { "راضی بود", "Satisfied" },
};
COUNT (outcomes);

const PvDemoWord pv_demo_ticket_subjects[] = {
  { "دستگاه روشن نمی‌شود", "The unit does not turn on" },
  { "صدای غیرعادی", "Unusual noise" }, { "کیفیت چاپ پایین", "Poor print quality" },
  { "تأخیر در تحویل", "Late delivery" }, { "قطعه ناقص", "Missing part" },
  { "درخواست سرویس دوره‌ای", "Periodic service request" },
  { "رفتار نامناسب نصاب", "Installer's conduct" }, { "مرجوعی کالای معیوب", "Return of a faulty item" },
  { "راهنمایی برای تنظیمات", "Help with the settings" }, { "خطای نمایشگر", "Display error" },
};
COUNT (ticket_subjects);

const PvDemoWord pv_demo_resolutions[] = {
  { "قطعه تعویض شد", "Part replaced" }, { "تنظیمات اصلاح شد", "Settings corrected" },
  { "کالا تعویض شد", "Item replaced" }, { "راهنمایی تلفنی", "Solved by phone" },
  { "وجه بازگردانده شد", "Refunded" }, { "سرویس انجام شد", "Service done" },
};
COUNT (resolutions);

const PvDemoWord pv_demo_campaign_names[] = {
  { "جشنواره نوروزی", "Nowruz festival" }, { "تخفیف تابستانه", "Summer discount" },
  { "نمایشگاه الکامپ", "Elecomp trade show" }, { "پیامک بازگشت مشتری", "Win-back SMS" },
  { "خبرنامه فصلی", "Quarterly newsletter" }, { "وبینار معرفی محصول", "Product webinar" },
  { "تمدید قراردادهای سرویس", "Service contract renewals" },
  { "تبلیغات شبکه‌های اجتماعی", "Social media ads" }, { "یلدا", "Yalda night" },
  { "بازگشایی مدارس", "Back to school" },
};
COUNT (campaign_names);

const PvDemoWord pv_demo_comments[] = {
  { "پشتیبانی سریع و مؤدب بود", "Quick and polite support" },
  { "نصاب دیر رسید", "The installer came late" }, { "قیمت کمی بالاست", "A bit expensive" },
  { "کیفیت عالی", "Excellent quality" }, { "باز هم خرید می‌کنم", "Will buy again" },
  { "", "" },
};
COUNT (comments);
